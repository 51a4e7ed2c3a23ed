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
  @ApiProperty({ format: 'uuid', example: 'a8d4e6f2-1c3b-4a5d-8e7f-9b0c1d2e3f40' })
  id!: string;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;
}

export class MeClinicDto {
  @ApiProperty({ format: 'uuid', example: '5b7e9c1d-2f4a-4b6c-8d0e-1f3a5c7e9b2d' })
  id!: string;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;
}

export class MeDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-7b4d-4e8a-9c61-2d5f8b0a4e17' })
  id!: string;

  @ApiProperty({ example: 'clinician@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Dr. Ada Example' })
  displayName!: string | null;

  @ApiProperty({ enum: PLATFORM_ROLES, nullable: true })
  platformRole!: PlatformRole | null;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-01-31T23:59:59.000Z',
    description: 'Time-boxed tiers: features answer 403 role_expired after this instant',
  })
  tierExpiresAt!: string | null;

  @ApiProperty({ type: MeTenantDto, nullable: true })
  tenant!: MeTenantDto | null;

  @ApiProperty({ type: [MeClinicDto] })
  clinics!: MeClinicDto[];
}
