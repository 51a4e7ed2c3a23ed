import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { FEATURES, type Feature } from '../../abilities/features';

export class SetFeatureFlagDto {
  @ApiProperty({
    description: 'false switches the feature off (kill switch, D7); true switches it back on',
    example: false,
  })
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only for this tenant; omit for platform-wide',
    example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class TenantFlagOverrideDto {
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ example: false })
  enabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  updatedAt!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '2c9e5b1a-8f4d-4e7c-a3b6-9d0f1e2c5a74',
  })
  updatedBy!: string | null;
}

export class FeatureFlagDto {
  @ApiProperty({ enum: FEATURES })
  feature!: Feature;

  @ApiProperty({
    description: 'Platform-wide state; a tenant override can only switch it off further',
    example: true,
  })
  enabled!: boolean;

  @ApiProperty({
    description: 'false for admin_panel, which can never be switched off (D8)',
    example: true,
  })
  switchable!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-23T09:30:00.000Z',
  })
  updatedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '2c9e5b1a-8f4d-4e7c-a3b6-9d0f1e2c5a74',
  })
  updatedBy!: string | null;

  @ApiProperty({ type: [TenantFlagOverrideDto] })
  tenantOverrides!: TenantFlagOverrideDto[];
}

export class FeatureFlagPageDto {
  @ApiProperty({
    type: [FeatureFlagDto],
    description: 'Every feature, in the order of the feature matrix',
  })
  items!: FeatureFlagDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Always null: one page holds every feature',
    example: null,
  })
  nextCursor!: string | null;
}
