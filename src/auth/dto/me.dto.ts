import { ApiProperty } from '@nestjs/swagger';
import { PLATFORM_ROLES, type PlatformRole } from '../../abilities/platform-roles';
import {
  CLINIC_ROLES,
  type ClinicRole,
  TENANT_ROLES,
  type TenantRole,
} from '../../abilities/tenancy-roles';
import { TIERS, type Tier } from '../../abilities/tiers';

export class MeTenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;
}

export class MeClinicDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ enum: PLATFORM_ROLES, nullable: true })
  platformRole!: PlatformRole | null;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Time-boxed tiers: features answer 403 role_expired after this instant',
  })
  tierExpiresAt!: string | null;

  @ApiProperty({ type: MeTenantDto, nullable: true })
  tenant!: MeTenantDto | null;

  @ApiProperty({ type: [MeClinicDto] })
  clinics!: MeClinicDto[];
}
