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
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: TENANT_ROLES })
  role!: TenantRole;
}

export class AdminUserClinicDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CLINIC_ROLES })
  role!: ClinicRole;
}

/** A user as the admin panel sees it. Never carries a password hash or token state. */
export class AdminUserDto {
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

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  tierExpiresAt!: string | null;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ description: 'False while an invitation is pending' })
  activated!: boolean;

  @ApiProperty({ type: AdminUserTenantDto, nullable: true })
  tenant!: AdminUserTenantDto | null;

  @ApiProperty({ type: [AdminUserClinicDto] })
  clinics!: AdminUserClinicDto[];

  @ApiProperty({ type: String, format: 'date-time' })
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
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: TENANT_ROLES, description: 'Needs tenantId; default MEMBER' })
  @IsOptional()
  @IsIn(TENANT_ROLES)
  tenantRole?: TenantRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'A clinic of tenantId' })
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

  @ApiPropertyOptional({ description: 'true also revokes every session of the user' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
