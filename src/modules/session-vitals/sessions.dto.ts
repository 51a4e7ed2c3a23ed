import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageDto, PageQueryDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { IsIsoDateTime } from '../patients/iso-date-time';
import { VITAL_ALERT_CODES } from './qtc';

export const ADVERSE_EVENT_SEVERITIES = ['mild', 'moderate', 'severe', 'life_threatening'] as const;
export type AdverseEventSeverity = (typeof ADVERSE_EVENT_SEVERITIES)[number];

export class CreateSessionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A patient in your scope (404 otherwise)',
    example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10',
  })
  @IsUUID()
  patientId!: string;

  @ApiProperty({ example: 'ibogaine', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  substance!: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:00:00Z' })
  @IsIsoDateTime()
  startedAt!: string;
}

export class UpdateSessionDto {
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'End of the session (null reopens it); not before startedAt',
    example: '2026-05-02T08:00:00.000Z',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsIsoDateTime()
  endedAt!: string | null;
}

export class ListSessionsQueryDto extends ClinicalPageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this patient’s sessions (404 when the patient is outside your scope)',
  })
  @IsOptional()
  @IsUUID()
  patientId?: string;
}

export class CreateVitalsDto {
  @ApiProperty({ format: 'date-time', example: '2026-05-01T09:30:00.000Z' })
  @IsIsoDateTime()
  recordedAt!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 350, description: 'beats per minute', example: 75 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(350)
  heartRate?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 350, description: 'mmHg', example: 128 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(350)
  systolic?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 300, description: 'mmHg', example: 82 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(300)
  diastolic?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: '%', example: 98 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  spo2?: number;

  @ApiPropertyOptional({ minimum: 20, maximum: 46, description: '°C, one decimal', example: 36.8 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(20)
  @Max(46)
  temperatureC?: number;

  @ApiPropertyOptional({
    minimum: 100,
    maximum: 1000,
    description: 'QT interval, ms',
    example: 440,
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(1000)
  qtMs?: number;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Free text; never exported',
    example: 'Resting, eyes closed',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class VitalAlertDto {
  @ApiProperty({ enum: VITAL_ALERT_CODES }) code!: string;
  @ApiProperty({ example: 'QTc (Bazett) 512.3 ms is above 500.0 ms' }) message!: string;
}

export class VitalsDto {
  @ApiProperty({ format: 'uuid', example: '9d4b2e7a-3c1f-4a8e-b6d0-2f7c5e9a1b43' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' })
  sessionId!: string;
  @ApiProperty({ format: 'uuid', example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10' })
  patientId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T09:30:00.000Z' }) recordedAt!: string;
  @ApiProperty({ nullable: true, type: Number, example: 75 }) heartRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 128 }) systolic!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 82 }) diastolic!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 98 }) spo2!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 36.8 }) temperatureC!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 440 }) qtMs!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Bazett-corrected QT, ms (QT and heart rate needed)',
    example: 491.9,
  })
  qtcBazettMs!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Fridericia-corrected QT, ms',
    example: 474,
  })
  qtcFridericiaMs!: number | null;
  @ApiProperty({
    type: [VitalAlertDto],
    description:
      'qtc_over_500 (Bazett > 500 ms), qtc_rise_over_60 (> 60 ms above the session’s first reading)',
  })
  alerts!: VitalAlertDto[];
  @ApiProperty({ nullable: true, type: String, example: 'Resting, eyes closed' }) note!:
    string | null;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T09:31:12.000Z' }) createdAt!: string;
}

export class VitalsPageDto extends PageDto {
  @ApiProperty({ type: [VitalsDto] }) items!: VitalsDto[];
}

export class VitalsPageQueryDto extends PageQueryDto {}

export class CreateDoseDto {
  @ApiProperty({ example: 840, description: 'mg, > 0' })
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(100_000)
  mg!: number;

  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:00:00.000Z' })
  @IsIsoDateTime()
  at!: string;
}

export class DoseDto {
  @ApiProperty({ format: 'uuid', example: 'e1b7c3d9-5a2f-4c8e-9b6d-4f0a8e2c7b15' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' })
  sessionId!: string;
  @ApiProperty({ example: 840 }) mg!: number;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:00:00.000Z' }) at!: string;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:01:05.000Z' }) createdAt!: string;
}

export class CreateSubjectiveLogDto {
  @ApiProperty({ format: 'date-time', example: '2026-05-01T10:15:00.000Z' })
  @IsIsoDateTime()
  at!: string;

  @ApiProperty({ example: 'ego_dissolution', maxLength: 50 })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  kind!: string;

  @ApiProperty({ minimum: 0, maximum: 10, example: 7 })
  @IsInt()
  @Min(0)
  @Max(10)
  intensity!: number;
}

export class SubjectiveLogDto {
  @ApiProperty({ format: 'uuid', example: '4e7c1a9d-2b6f-4e3a-9d8c-5f1b3a7e0c29' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' })
  sessionId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T10:15:00.000Z' }) at!: string;
  @ApiProperty({ example: 'ego_dissolution' }) kind!: string;
  @ApiProperty({ example: 7 }) intensity!: number;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T10:16:30.000Z' }) createdAt!: string;
}

export class CreateInterventionDto {
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:05:00.000Z' })
  @IsIsoDateTime()
  at!: string;

  @ApiProperty({ example: 'Cool compress applied, fluids offered', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  action!: string;
}

export class InterventionDto {
  @ApiProperty({ format: 'uuid', example: 'd8a2c6f4-9e1b-4a7d-b3c5-1e9f7a0d2c48' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '6b3f9e2d-1c7a-4d5b-8e0f-7a2c4d9b3e86' })
  adverseEventId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:05:00.000Z' }) at!: string;
  @ApiProperty({ example: 'Cool compress applied, fluids offered' }) action!: string;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:06:00.000Z' }) createdAt!: string;
}

export class CreateAdverseEventDto {
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:00:00.000Z' })
  @IsIsoDateTime()
  occurredAt!: string;

  @ApiProperty({ example: 'Diaphoresis', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description!: string;

  @ApiProperty({ enum: ADVERSE_EVENT_SEVERITIES })
  @IsIn(ADVERSE_EVENT_SEVERITIES)
  severity!: AdverseEventSeverity;

  @ApiPropertyOptional({ type: [CreateInterventionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateInterventionDto)
  interventions?: CreateInterventionDto[];
}

export class AdverseEventDto {
  @ApiProperty({ format: 'uuid', example: '6b3f9e2d-1c7a-4d5b-8e0f-7a2c4d9b3e86' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' })
  sessionId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({ example: 'Diaphoresis' }) description!: string;
  @ApiProperty({ enum: ADVERSE_EVENT_SEVERITIES }) severity!: AdverseEventSeverity;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-01T12:30:00.000Z',
  })
  resolvedAt!: string | null;
  @ApiProperty({ type: [InterventionDto] }) interventions!: InterventionDto[];
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T11:06:00.000Z' }) createdAt!: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10' })
  patientId!: string;
  @ApiProperty({ description: 'The patient’s pseudonymous subject id', example: 'K7Q2M9X4LA' })
  subjectId!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84',
  })
  tenantId!: string | null;
  @ApiProperty({ example: 'ibogaine' }) substance!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:00:00.000Z' }) startedAt!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-02T08:00:00.000Z',
  })
  endedAt!: string | null;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T07:55:00.000Z' }) createdAt!: string;
}

export class SessionDetailDto extends SessionDto {
  @ApiProperty({ type: [DoseDto], description: 'Oldest first' }) doses!: DoseDto[];
  @ApiProperty({
    type: [AdverseEventDto],
    description: 'Oldest first, each with its interventions',
  })
  adverseEvents!: AdverseEventDto[];
  @ApiProperty({ type: [SubjectiveLogDto], description: 'Oldest first' })
  subjectiveLogs!: SubjectiveLogDto[];
}

export class SessionPageDto extends PageDto {
  @ApiProperty({ type: [SessionDto] }) items!: SessionDto[];
}
