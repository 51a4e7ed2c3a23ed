import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import {
  CLINIC_ROLES,
  type ClinicRole,
  TENANT_ROLES,
  type TenantRole,
} from '../../../abilities/tenancy-roles';
import { TIERS, type Tier } from '../../../abilities/tiers';
import { PageDto } from '../../../common/pagination/pagination';

export class AddTenantMemberDto {
  @ApiProperty({ example: 'member@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: TENANT_ROLES, description: 'OWNER/ADMIN only by PLATFORM_ADMIN' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Used when the email is new (the invitation greets them)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;
}

export class UpdateTenantMemberDto {
  @ApiProperty({ enum: TENANT_ROLES })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

export class TenantMemberDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({ description: 'Holds an enterprise seat of this tenant' })
  seat!: boolean;

  @ApiProperty({ description: 'False while their invitation is pending' })
  activated!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class TenantMemberPageDto extends PageDto {
  @ApiProperty({ type: [TenantMemberDto] })
  items!: TenantMemberDto[];
}

export class AddClinicMemberDto {
  @ApiProperty({ format: 'uuid', description: 'A member of the clinic’s tenant' })
  @IsUUID()
  userId!: string;

  @ApiProperty({ enum: CLINIC_ROLES, description: 'A clinic ADMIN may add MEMBER only' })
  @IsIn(CLINIC_ROLES)
  role!: ClinicRole;
}

export class UpdateClinicMemberDto {
  @ApiProperty({ enum: CLINIC_ROLES })
  @IsIn(CLINIC_ROLES)
  role!: ClinicRole;
}

export class ClinicMemberDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid' })
  clinicId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ClinicMemberPageDto extends PageDto {
  @ApiProperty({ type: [ClinicMemberDto] })
  items!: ClinicMemberDto[];
}

export class SeatDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: TIERS, description: 'The tier the seat grants: user_enterprise' })
  tier!: Tier;

  @ApiProperty({ enum: TIERS, description: 'The tier restored when the seat is revoked' })
  previousTier!: Tier;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  grantedBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  grantedAt!: string;
}
