import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { IsIsoDateTime } from '../patients/iso-date-time';
import { type Instrument, INSTRUMENTS } from './scoring';

export class CreateAssessmentDto {
  @ApiProperty({ format: 'uuid', description: 'A patient in your scope (404 otherwise)' })
  @IsUUID()
  patientId!: string;

  @ApiProperty({ enum: INSTRUMENTS })
  @IsIn(INSTRUMENTS)
  instrument!: Instrument;

  @ApiProperty({
    type: [Number],
    description:
      'Per-item answers in form order: PHQ-9 9 × 0–3, GAD-7 7 × 0–3, C-SSRS screener 6 × 0/1 (no/yes), MEQ-30 30 × 0–5. ' +
      'A bad item is a 400 naming it (`answers[3]`). Scores are computed here, never accepted.',
    example: [3, 3, 3, 3, 3, 3, 3, 2, 2],
  })
  @IsArray()
  @ArrayMaxSize(100)
  answers!: unknown[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When it was administered (default: now)',
  })
  @IsOptional()
  @IsIsoDateTime()
  administeredAt?: string;
}

export class ListAssessmentsQueryDto extends ClinicalPageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this patient’s assessments (404 when outside your scope)',
  })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ enum: INSTRUMENTS })
  @IsOptional()
  @IsIn(INSTRUMENTS)
  instrument?: Instrument;
}

export class Meq30SubscalesDto {
  @ApiProperty() mystical!: number;
  @ApiProperty() positiveMood!: number;
  @ApiProperty() transcendence!: number;
  @ApiProperty() ineffability!: number;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: INSTRUMENTS }) instrument!: Instrument;
  @ApiProperty({ type: [Number] }) answers!: number[];
  @ApiProperty({
    description: 'PHQ-9 0–27, GAD-7 0–21, C-SSRS yes count, MEQ-30 mean item score 0–5',
  })
  score!: number;
  @ApiProperty({
    description:
      'PHQ-9 minimal|mild|moderate|moderately_severe|severe; GAD-7 minimal|mild|moderate|severe; C-SSRS low|moderate|high; MEQ-30 complete|not_complete',
  })
  severity!: string;
  @ApiPropertyOptional({ type: Meq30SubscalesDto, description: 'MEQ-30 only: factor means' })
  subscales?: Meq30SubscalesDto;
  @ApiPropertyOptional({ description: 'MEQ-30 only: every factor ≥ 60% of its maximum' })
  complete?: boolean;
  @ApiPropertyOptional({
    description:
      'PHQ-9 only: item 9 (self-harm thoughts) answered above 0 — needs a risk assessment whatever the total',
  })
  selfHarmItemPositive?: boolean;
  @ApiProperty({ format: 'date-time' }) administeredAt!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AssessmentPageDto extends PageDto {
  @ApiProperty({ type: [AssessmentDto] }) items!: AssessmentDto[];
}
