import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../passwords';

/** Upper bound on passwords: argon2 would hash megabytes, which is a cheap DoS. */
const MAX_PASSWORD_LENGTH = 1024;
const MAX_TOKEN_LENGTH = 512;

export class LoginDto {
  @ApiProperty({ example: 'clinician@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: MAX_PASSWORD_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({
    description: 'The refresh token from the last login or refresh (single use)',
    example: 'rt_8Jd0kq3Vw1nTz5mXyC2bLrE7uA9sHfGp',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TOKEN_LENGTH)
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({
    description: "Also revoke this refresh token's session (if it is yours)",
    example: 'rt_8Jd0kq3Vw1nTz5mXyC2bLrE7uA9sHfGp',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TOKEN_LENGTH)
  refreshToken?: string;
}

export class MagicLinkRequestDto {
  @ApiProperty({ example: 'clinician@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class LinkTokenDto {
  @ApiProperty({
    description: 'The `token` from the link fragment',
    example: 'lt_Qm4x9Zp2Vb7Nc1Kd8Rf3Tw6Yh0Js5Lg',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TOKEN_LENGTH)
  token!: string;
}

export class AcceptInvitationDto {
  @ApiProperty({
    description: 'The `token` from the invitation link fragment',
    example: 'lt_Qm4x9Zp2Vb7Nc1Kd8Rf3Tw6Yh0Js5Lg',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TOKEN_LENGTH)
  token!: string;

  @ApiPropertyOptional({
    description: 'Sets a password for password logins (otherwise magic links only)',
    example: 'correct horse battery staple',
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;
}

export class TokenPairDto {
  @ApiProperty({
    description: 'JWT (EdDSA or ES256), sent as `Authorization: Bearer …`',
    example: 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI…',
  })
  accessToken!: string;

  @ApiProperty({
    description: 'Opaque, single use; exchange at POST /auth/refresh',
    example: 'rt_8Jd0kq3Vw1nTz5mXyC2bLrE7uA9sHfGp',
  })
  refreshToken!: string;

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
}

export class ChangePasswordDto {
  @ApiProperty({
    description: 'The password in use now',
    example: 'correct horse battery staple',
    maxLength: MAX_PASSWORD_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword!: string;

  @ApiProperty({
    description: `The new password: at least ${MIN_PASSWORD_LENGTH} characters, not containing the email address or the product's name`,
    example: 'tidal granite orchard lantern',
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
  })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword!: string;
}

export class SessionDto {
  @ApiProperty({ example: '0b7a4c2e-5d1f-4e8a-9c3b-6f2d1e0a9b87' }) id!: string;
  @ApiProperty({ enum: ['password', 'magic_link', 'invitation'], example: 'password' })
  method!: string;
  @ApiProperty({ example: '2026-11-23T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ description: 'Last refresh (or the login)', example: '2026-11-23T10:45:00.000Z' })
  lastUsedAt!: string;
  @ApiProperty({ description: 'The session of the token making this request', example: true })
  current!: boolean;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] }) items!: SessionDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Always null: every active session is listed',
  })
  nextCursor!: null;
}
