import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { PATIENT_PHASES, type PatientPhase } from '../patients/patients.dto';
import { VitalAlertDto, VitalsDto } from '../session-vitals/sessions.dto';

export class DashboardQueryDto extends ClinicalPageQueryDto {}

export class DashboardItemDto {
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ enum: PATIENT_PHASES }) phase!: PatientPhase;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) clinicId!: string | null;
  @ApiProperty() substance!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({
    type: VitalsDto,
    nullable: true,
    description: 'The latest reading (by recordedAt), null before the first',
  })
  latestVitals!: VitalsDto | null;
  @ApiProperty({ type: [VitalAlertDto], description: 'Alerts standing on the latest reading' })
  alerts!: VitalAlertDto[];
  @ApiProperty({ description: 'Adverse events of the session not marked resolved' })
  openAdverseEvents!: number;
}

export class DashboardPageDto extends PageDto {
  @ApiProperty({ type: [DashboardItemDto] }) items!: DashboardItemDto[];
}
