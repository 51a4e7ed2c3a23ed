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
    example: '2027-06-30T23:59:59.000Z',
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

  @ApiProperty({ format: 'uuid', example: '6f1d3b8e-2c7a-4f9d-a5e1-9b3c7d0f2a84' })
  id!: string;

  @ApiProperty({ example: 'TEST-7K2M9Q4XZA' })
  subjectId!: string;

  @ApiProperty({ example: 'ibogaine' })
  substance!: string;

  @ApiProperty({ example: 'treatment' })
  phase!: string;
}

export class PartnerDto extends AdminUserDto {
  @ApiProperty({ type: [MockPatientSummaryDto] })
  mockPatients!: MockPatientSummaryDto[];

  @ApiProperty({
    description:
      'The branded invitation was accepted by the mail server (or written to the outbox)',
    example: true,
  })
  invitationSent!: boolean;
}

export class ScrubTestDataDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this partner’s test rows; omit for all test rows',
    example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68',
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class ScrubResultDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68',
  })
  partnerId!: string | null;

  @ApiProperty({
    description: 'Rows deleted per table, in deletion order',
    example: { interventions: 4, adverse_events: 1, patients: 3 },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  counts!: Record<string, number>;

  @ApiProperty({ example: 8 })
  total!: number;
}
