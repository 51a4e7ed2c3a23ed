import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { PATIENT_PHASES, type PatientPhase } from '../patients/patients.dto';
import { VitalAlertDto, VitalsDto } from '../session-vitals/sessions.dto';

export class DashboardQueryDto extends ClinicalPageQueryDto {}

export class DashboardItemDto {
  @ApiProperty({ format: 'uuid', example: '3a6d2f81-7c4e-4b19-9e5a-0d8c2b7f4e61' })
  sessionId!: string;
  @ApiProperty({ format: 'uuid', example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10' })
  patientId!: string;
  @ApiProperty({ example: 'K7Q2M9X4LA' }) subjectId!: string;
  @ApiProperty({ enum: PATIENT_PHASES }) phase!: PatientPhase;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97',
  })
  clinicId!: string | null;
  @ApiProperty({ example: 'ibogaine' }) substance!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T08:00:00.000Z' }) startedAt!: string;
  @ApiProperty({
    type: VitalsDto,
    nullable: true,
    description: 'The latest reading (by recordedAt), null before the first',
  })
  latestVitals!: VitalsDto | null;
  @ApiProperty({ type: [VitalAlertDto], description: 'Alerts standing on the latest reading' })
  alerts!: VitalAlertDto[];
  @ApiProperty({ description: 'Adverse events of the session not marked resolved', example: 1 })
  openAdverseEvents!: number;
}

export class DashboardPageDto extends PageDto {
  @ApiProperty({ type: [DashboardItemDto] }) items!: DashboardItemDto[];
}
