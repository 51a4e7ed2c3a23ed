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
    example: 'Dr. Maya Chen',
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
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  userId!: string;

  @ApiProperty({ example: 'member@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Dr. Maya Chen' })
  displayName!: string | null;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({ description: 'Holds an enterprise seat of this tenant', example: true })
  seat!: boolean;

  @ApiProperty({ description: 'False while their invitation is pending', example: true })
  activated!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;
}

export class TenantMemberPageDto extends PageDto {
  @ApiProperty({ type: [TenantMemberDto] })
  items!: TenantMemberDto[];
}

export class AddClinicMemberDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A member of the clinic’s tenant',
    example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68',
  })
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
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid', example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97' })
  clinicId!: string;

  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  userId!: string;

  @ApiProperty({ example: 'member@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Dr. Maya Chen' })
  displayName!: string | null;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;
}

export class ClinicMemberPageDto extends PageDto {
  @ApiProperty({ type: [ClinicMemberDto] })
  items!: ClinicMemberDto[];
}

export class SeatDto {
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  userId!: string;

  @ApiProperty({ enum: TIERS, description: 'The tier the seat grants: user_enterprise' })
  tier!: Tier;

  @ApiProperty({ enum: TIERS, description: 'The tier restored when the seat is revoked' })
  previousTier!: Tier;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '2c9e5b1a-8f4d-4e7c-a3b6-9d0f1e2c5a74',
  })
  grantedBy!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  grantedAt!: string;
}
