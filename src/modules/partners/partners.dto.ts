import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { AdminUserDto } from '../admin/admin-users.dto';
import { MOCK_PATIENT_KEYS, type MockPatientKey } from './mock-data';

/** The tiers POST /admin/partners provisions (API.md); legacy `partner` is not handed out any more. */
export const PROVISIONED_PARTNER_TIERS = ['partner_free', 'partner_paid', 'beta_observer'] as const;
export type ProvisionedPartnerTier = (typeof PROVISIONED_PARTNER_TIERS)[number];

export class CreatePartnerDto {
  @ApiProperty({ example: 'dr.allen@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Dr. Jason Allen', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: PROVISIONED_PARTNER_TIERS })
  @IsIn(PROVISIONED_PARTNER_TIERS)
  tier!: ProvisionedPartnerTier;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Required for beta_observer; in the future',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: '$property must be an ISO 8601 date-time, e.g. 2026-06-30T23:59:59Z' },
  )
  tierExpiresAt?: string;
}

export class MockPatientSummaryDto {
  @ApiProperty({
    enum: MOCK_PATIENT_KEYS,
    description: 'Seed 001 mock patient A (ibogaine), B (MDMA → psilocybin), C (ketamine)',
  })
  key!: MockPatientKey;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'TEST-7K2M9Q4XZA' })
  subjectId!: string;

  @ApiProperty()
  substance!: string;

  @ApiProperty()
  phase!: string;
}

export class PartnerDto extends AdminUserDto {
  @ApiProperty({ type: [MockPatientSummaryDto] })
  mockPatients!: MockPatientSummaryDto[];

  @ApiProperty({
    description:
      'The branded invitation was accepted by the mail server (or written to the outbox)',
  })
  invitationSent!: boolean;
}

export class ScrubTestDataDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this partner’s test rows; omit for all test rows',
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class ScrubResultDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  partnerId!: string | null;

  @ApiProperty({
    description: 'Rows deleted per table, in deletion order',
    example: { interventions: 4, adverse_events: 1, patients: 3 },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  counts!: Record<string, number>;

  @ApiProperty()
  total!: number;
}
