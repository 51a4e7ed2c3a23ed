import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from './clinical-sql';

/** The Wellness Journey, in order; a patient moves one step forward at a time. */
export const PATIENT_PHASES = [
  'intake',
  'preparation',
  'treatment',
  'integration',
  'completed',
] as const;
export type PatientPhase = (typeof PATIENT_PHASES)[number];

const MAX_MEDICATIONS = 50;

export class CreatePatientDto {
  @ApiPropertyOptional({ example: 'JD', description: '1–4 upper-case letters; never exported' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{1,4}$/, { message: 'initials must be 1 to 4 upper-case letters' })
  initials?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A clinic of your tenant you belong to (any clinic of it for tenant OWNER/ADMIN); otherwise 404. ' +
      'Ignored for partner tiers: their records are test data and never belong to a clinic.',
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({ example: 'ibogaine', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  substance?: string;

  @ApiPropertyOptional({ type: [String], example: ['Suboxone'], maxItems: MAX_MEDICATIONS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MEDICATIONS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  medications?: string[];
}

export class UpdatePatientDto {
  @ApiPropertyOptional({ example: 'JD', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Matches(/^[A-Z]{1,4}$/, { message: 'initials must be 1 to 4 upper-case letters' })
  initials?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'null takes the patient out of its clinic',
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  clinicId?: string | null;

  @ApiPropertyOptional({ example: 'ibogaine', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  substance?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['Suboxone', 'ondansetron'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MEDICATIONS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  medications?: string[];
}

export class ChangePhaseDto {
  @ApiProperty({
    enum: PATIENT_PHASES,
    description: 'The next phase: one step forward only (409 otherwise)',
  })
  @IsIn(PATIENT_PHASES)
  phase!: PatientPhase;
}

export class ListPatientsQueryDto extends ClinicalPageQueryDto {
  @ApiPropertyOptional({ enum: PATIENT_PHASES })
  @IsOptional()
  @IsIn(PATIENT_PHASES)
  phase?: PatientPhase;

  @ApiPropertyOptional({ format: 'uuid', description: 'A clinic you can see (404 otherwise)' })
  @IsOptional()
  @IsUUID()
  clinicId?: string;
}

export class PatientDto {
  @ApiProperty({ format: 'uuid', example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10' }) id!: string;
  @ApiProperty({
    example: 'K7Q2M9X4B1',
    description: '10 random upper-case alphanumerics; `TEST-` prefix for test records',
  })
  subjectId!: string;
  @ApiProperty({ example: false }) isTest!: boolean;
  @ApiProperty({ enum: PATIENT_PHASES }) phase!: PatientPhase;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  clinicId!: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84',
  })
  tenantId!: string | null;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  ownerId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'JD' }) initials!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'ibogaine' }) substance!: string | null;
  @ApiProperty({ type: [String], example: ['Suboxone'] }) medications!: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null }) archivedAt!:
    string | null;
  @ApiProperty({ format: 'date-time', example: '2026-04-20T14:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-04-30T16:20:00.000Z' }) updatedAt!: string;
}

export class PatientPageDto extends PageDto {
  @ApiProperty({ type: [PatientDto] }) items!: PatientDto[];
}
