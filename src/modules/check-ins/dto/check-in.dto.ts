import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageDto, PageQueryDto } from '../../../common/pagination/pagination';

export const CHECK_IN_SCOPES = ['own', 'clinic', 'tenant'] as const;
export type CheckInScope = (typeof CHECK_IN_SCOPES)[number];

const MAX_NOTE = 2000;

export class CreateCheckInDto {
  @ApiProperty({ minimum: 1, maximum: 10 })
  @IsInt()
  @Min(1)
  @Max(10)
  mood!: number;

  @ApiPropertyOptional({ maxLength: MAX_NOTE })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE)
  note?: string;

  @ApiProperty({
    description:
      'Private: only the author (and PLATFORM_ADMIN, audited) can see it; it cannot be shared',
  })
  @IsBoolean()
  isPrivate!: boolean;
}

export class UpdateCheckInDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  mood?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_NOTE,
    description: 'null clears the note',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(MAX_NOTE)
  note?: string | null;

  @ApiPropertyOptional({ description: 'Making a check-in private ends all its shares' })
  @IsOptional()
  @IsBoolean()
  isPrivate?: boolean;
}

export class CheckInListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: CHECK_IN_SCOPES,
    default: 'own',
    description:
      'own: yours; clinic: non-private check-ins shared with your clinics; tenant: all non-private check-ins of the tenant (OWNER/ADMIN, PLATFORM_ADMIN)',
  })
  @IsOptional()
  @IsIn(CHECK_IN_SCOPES)
  scope?: CheckInScope;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'scope=tenant: the tenant (PLATFORM_ADMIN: omit for every tenant)',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'scope=clinic: only check-ins shared with this clinic',
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;
}

export class ShareCheckInDto {
  @ApiProperty({ format: 'uuid', description: 'A clinic the author belongs to' })
  @IsUUID()
  clinicId!: string;
}

export class CheckInDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  authorId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tenantId!: string | null;

  @ApiProperty({ minimum: 1, maximum: 10 })
  mood!: number;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty()
  isPrivate!: boolean;

  @ApiProperty({ format: 'date', description: 'UTC date of the check-in' })
  checkInDate!: string;

  @ApiProperty({ type: [String], description: 'Ids of the clinics it is shared with' })
  sharedWith!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CheckInPageDto extends PageDto {
  @ApiProperty({ type: [CheckInDto] })
  items!: CheckInDto[];
}

export class CheckInShareDto {
  @ApiProperty({ format: 'uuid' })
  checkInId!: string;

  @ApiProperty({ format: 'uuid' })
  clinicId!: string;

  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class StreakDto {
  @ApiProperty({ description: 'Consecutive days up to today (or yesterday, if none yet today)' })
  current!: number;

  @ApiProperty({ description: 'Longest run of consecutive days ever' })
  longest!: number;
}
