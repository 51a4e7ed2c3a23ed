import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageDto } from '../../../common/pagination/pagination';

const MAX_SEATS = 1_000_000;

export class CreateTenantDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Harbor Recovery Group' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'Enterprise seats (D6); null = 0',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  seatLimit?: number | null;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'PLATFORM_ADMIN only (a tenant admin sending it gets 403 action_denied); null = 0',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  seatLimit?: number | null;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: Number, nullable: true })
  seatLimit!: number | null;

  @ApiProperty({ description: 'Enterprise seats granted now' })
  seatsUsed!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TenantPageDto extends PageDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];
}
