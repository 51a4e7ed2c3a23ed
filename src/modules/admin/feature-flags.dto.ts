import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { FEATURES, type Feature } from '../../abilities/features';

export class SetFeatureFlagDto {
  @ApiProperty({
    description: 'false switches the feature off (kill switch, D7); true switches it back on',
  })
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only for this tenant; omit for platform-wide',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class TenantFlagOverrideDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  updatedBy!: string | null;
}

export class FeatureFlagDto {
  @ApiProperty({ enum: FEATURES })
  feature!: Feature;

  @ApiProperty({
    description: 'Platform-wide state; a tenant override can only switch it off further',
  })
  enabled!: boolean;

  @ApiProperty({ description: 'false for admin_panel, which can never be switched off (D8)' })
  switchable!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
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
  })
  nextCursor!: string | null;
}
