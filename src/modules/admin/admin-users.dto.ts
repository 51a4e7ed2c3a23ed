import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PLATFORM_ROLES, type PlatformRole } from '../../abilities/platform-roles';
import {
  CLINIC_ROLES,
  type ClinicRole,
  TENANT_ROLES,
  type TenantRole,
} from '../../abilities/tenancy-roles';
import { TIERS, type Tier } from '../../abilities/tiers';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { PageDto, PageQueryDto } from '../../common/pagination/pagination';

const ISO = { strict: true, strictSeparator: true } as const;
const ISO_MESSAGE = {
  message: '$property must be an ISO 8601 date-time, e.g. 2026-06-30T23:59:59Z',
};

export class AdminUserTenantDto {
  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  id!: string;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;
}

export class AdminUserClinicDto {
  @ApiProperty({ format: 'uuid', example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97' })
  id!: string;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;
}

/** A user as the admin panel sees it. Never carries a password hash or token state. */
export class AdminUserDto {
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  id!: string;

  @ApiProperty({ example: 'dr.allen@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Dr. Jason Allen' })
  displayName!: string | null;

  @ApiProperty({ enum: PLATFORM_ROLES, nullable: true })
  platformRole!: PlatformRole | null;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-06-30T23:59:59.000Z',
  })
  tierExpiresAt!: string | null;

  @ApiProperty({ example: false })
  disabled!: boolean;

  @ApiProperty({ description: 'False while an invitation is pending', example: true })
  activated!: boolean;

  @ApiProperty({ type: AdminUserTenantDto, nullable: true })
  tenant!: AdminUserTenantDto | null;

  @ApiProperty({ type: [AdminUserClinicDto] })
  clinics!: AdminUserClinicDto[];

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;
}

export class AdminUserPageDto extends PageDto {
  @ApiProperty({ type: [AdminUserDto] })
  items!: AdminUserDto[];
}

export class ListAdminUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the email' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Members of this tenant (a tenant outside your scope: 404)',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class CreateAdminUserDto {
  @ApiProperty({ example: 'dr.allen@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Dr. Jason Allen', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tier!: Tier;

  @ApiPropertyOptional({
    minLength: MIN_PASSWORD_LENGTH,
    description: 'Without it the account is created inactive and an invitation email is sent',
    example: 'correct-horse-battery-staple',
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: TENANT_ROLES, description: 'Needs tenantId; default MEMBER' })
  @IsOptional()
  @IsIn(TENANT_ROLES)
  tenantRole?: TenantRole;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A clinic of tenantId',
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({ enum: CLINIC_ROLES, description: 'Needs clinicId; default MEMBER' })
  @IsOptional()
  @IsIn(CLINIC_ROLES)
  clinicRole?: ClinicRole;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Required for beta_observer; in the future',
    example: '2027-06-30T23:59:59.000Z',
  })
  @IsOptional()
  @IsISO8601(ISO, ISO_MESSAGE)
  tierExpiresAt?: string;
}

export class UpdateAdminUserDto {
  @ApiPropertyOptional({
    enum: TIERS,
    description: 'A new tier resets tierExpiresAt unless one is given',
  })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null removes the expiry',
    example: '2027-06-30T23:59:59.000Z',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601(ISO, ISO_MESSAGE)
  tierExpiresAt?: string | null;

  @ApiPropertyOptional({ enum: PLATFORM_ROLES, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(PLATFORM_ROLES)
  platformRole?: PlatformRole | null;

  @ApiPropertyOptional({
    description: 'true also revokes every session of the user',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
