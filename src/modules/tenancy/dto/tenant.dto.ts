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
    example: 25,
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  seatLimit?: number | null;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Harbor Recovery Group' })
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
    example: 25,
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_SEATS)
  seatLimit?: number | null;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  id!: string;

  @ApiProperty({ example: 'Harbor Recovery Group' })
  name!: string;

  @ApiProperty({ type: Number, nullable: true, example: 25 })
  seatLimit!: number | null;

  @ApiProperty({ description: 'Enterprise seats granted now', example: 3 })
  seatsUsed!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  updatedAt!: string;
}

export class TenantPageDto extends PageDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];
}
