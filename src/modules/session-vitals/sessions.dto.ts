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
  @ApiProperty({ format: 'uuid', description: 'A patient in your scope (404 otherwise)' })
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
  @ApiProperty({ format: 'date-time' })
  @IsIsoDateTime()
  recordedAt!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 350, description: 'beats per minute' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(350)
  heartRate?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 350, description: 'mmHg' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(350)
  systolic?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 300, description: 'mmHg' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(300)
  diastolic?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: '%' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  spo2?: number;

  @ApiPropertyOptional({ minimum: 20, maximum: 46, description: '°C, one decimal' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(20)
  @Max(46)
  temperatureC?: number;

  @ApiPropertyOptional({ minimum: 100, maximum: 1000, description: 'QT interval, ms' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(1000)
  qtMs?: number;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Free text; never exported' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class VitalAlertDto {
  @ApiProperty({ enum: VITAL_ALERT_CODES }) code!: string;
  @ApiProperty() message!: string;
}

export class VitalsDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ nullable: true, type: Number }) heartRate!: number | null;
  @ApiProperty({ nullable: true, type: Number }) systolic!: number | null;
  @ApiProperty({ nullable: true, type: Number }) diastolic!: number | null;
  @ApiProperty({ nullable: true, type: Number }) spo2!: number | null;
  @ApiProperty({ nullable: true, type: Number }) temperatureC!: number | null;
  @ApiProperty({ nullable: true, type: Number }) qtMs!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Bazett-corrected QT, ms (QT and heart rate needed)',
  })
  qtcBazettMs!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Fridericia-corrected QT, ms' })
  qtcFridericiaMs!: number | null;
  @ApiProperty({
    type: [VitalAlertDto],
    description:
      'qtc_over_500 (Bazett > 500 ms), qtc_rise_over_60 (> 60 ms above the session’s first reading)',
  })
  alerts!: VitalAlertDto[];
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
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

  @ApiProperty({ format: 'date-time' })
  @IsIsoDateTime()
  at!: string;
}

export class DoseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty() mg!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateSubjectiveLogDto {
  @ApiProperty({ format: 'date-time' })
  @IsIsoDateTime()
  at!: string;

  @ApiProperty({ example: 'ego_dissolution', maxLength: 50 })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  kind!: string;

  @ApiProperty({ minimum: 0, maximum: 10 })
  @IsInt()
  @Min(0)
  @Max(10)
  intensity!: number;
}

export class SubjectiveLogDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() intensity!: number;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateInterventionDto {
  @ApiProperty({ format: 'date-time' })
  @IsIsoDateTime()
  at!: string;

  @ApiProperty({ example: 'Cool compress applied, fluids offered', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  action!: string;
}

export class InterventionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) adverseEventId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateAdverseEventDto {
  @ApiProperty({ format: 'date-time' })
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
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ADVERSE_EVENT_SEVERITIES }) severity!: AdverseEventSeverity;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ type: [InterventionDto] }) interventions!: InterventionDto[];
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ description: 'The patient’s pseudonymous subject id' }) subjectId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty() substance!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
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
