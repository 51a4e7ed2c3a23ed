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
  @ApiProperty({ minimum: 1, maximum: 10, example: 7 })
  @IsInt()
  @Min(1)
  @Max(10)
  mood!: number;

  @ApiPropertyOptional({
    maxLength: MAX_NOTE,
    example: 'Slept well; calmer after the integration call',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE)
  note?: string;

  @ApiProperty({
    description:
      'Private: only the author (and PLATFORM_ADMIN, audited) can see it; it cannot be shared',
    example: false,
  })
  @IsBoolean()
  isPrivate!: boolean;
}

export class UpdateCheckInDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10, example: 8 })
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
    example: 'Slept well; calmer after the integration call',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(MAX_NOTE)
  note?: string | null;

  @ApiPropertyOptional({
    description: 'Making a check-in private ends all its shares',
    example: false,
  })
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
  @ApiProperty({
    format: 'uuid',
    description: 'A clinic the author belongs to',
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  @IsUUID()
  clinicId!: string;
}

export class CheckInDto {
  @ApiProperty({ format: 'uuid', example: 'f2a8d4c6-3b9e-4f1a-8c7d-6e0b2a9f4d53' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  authorId!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84',
  })
  tenantId!: string | null;

  @ApiProperty({ minimum: 1, maximum: 10, example: 7 })
  mood!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Slept well; calmer after the integration call',
  })
  note!: string | null;

  @ApiProperty({ example: false })
  isPrivate!: boolean;

  @ApiProperty({ format: 'date', description: 'UTC date of the check-in', example: '2026-11-23' })
  checkInDate!: string;

  @ApiProperty({
    type: [String],
    description: 'Ids of the clinics it is shared with',
    example: ['c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97'],
  })
  sharedWith!: string[];

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  updatedAt!: string;
}

export class CheckInPageDto extends PageDto {
  @ApiProperty({ type: [CheckInDto] })
  items!: CheckInDto[];
}

export class CheckInShareDto {
  @ApiProperty({ format: 'uuid', example: 'f2a8d4c6-3b9e-4f1a-8c7d-6e0b2a9f4d53' })
  checkInId!: string;

  @ApiProperty({ format: 'uuid', example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97' })
  clinicId!: string;

  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;
}

export class StreakDto {
  @ApiProperty({
    description: 'Consecutive days up to today (or yesterday, if none yet today)',
    example: 5,
  })
  current!: number;

  @ApiProperty({ description: 'Longest run of consecutive days ever', example: 12 })
  longest!: number;
}
