import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { IsIsoDateTime } from '../patients/iso-date-time';
import { type Instrument, INSTRUMENTS } from './scoring';

export class CreateAssessmentDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A patient in your scope (404 otherwise)',
    example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10',
  })
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
    example: '2026-04-28T10:00:00.000Z',
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
  @ApiProperty({ example: 4.2 }) mystical!: number;
  @ApiProperty({ example: 3.8 }) positiveMood!: number;
  @ApiProperty({ example: 4 }) transcendence!: number;
  @ApiProperty({ example: 3.7 }) ineffability!: number;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid', example: 'b5d9f3a7-6e2c-4b1d-a8f4-3c7e9b1d5a02' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10' })
  patientId!: string;
  @ApiProperty({ enum: INSTRUMENTS }) instrument!: Instrument;
  @ApiProperty({ type: [Number], example: [3, 3, 3, 3, 3, 3, 3, 2, 2] }) answers!: number[];
  @ApiProperty({
    description: 'PHQ-9 0–27, GAD-7 0–21, C-SSRS yes count, MEQ-30 mean item score 0–5',
    example: 25,
  })
  score!: number;
  @ApiProperty({
    description:
      'PHQ-9 minimal|mild|moderate|moderately_severe|severe; GAD-7 minimal|mild|moderate|severe; C-SSRS low|moderate|high; MEQ-30 complete|not_complete',
    example: 'severe',
  })
  severity!: string;
  @ApiPropertyOptional({ type: Meq30SubscalesDto, description: 'MEQ-30 only: factor means' })
  subscales?: Meq30SubscalesDto;
  @ApiPropertyOptional({
    description: 'MEQ-30 only: every factor ≥ 60% of its maximum',
    example: true,
  })
  complete?: boolean;
  @ApiPropertyOptional({
    description:
      'PHQ-9 only: item 9 (self-harm thoughts) answered above 0 — needs a risk assessment whatever the total',
    example: true,
  })
  selfHarmItemPositive?: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-04-28T10:00:00.000Z' })
  administeredAt!: string;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-04-28T10:05:00.000Z' }) createdAt!: string;
}

export class AssessmentPageDto extends PageDto {
  @ApiProperty({ type: [AssessmentDto] }) items!: AssessmentDto[];
}
