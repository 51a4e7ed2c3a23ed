import { ApiProperty } from '@nestjs/swagger';
import { IncludeTestQueryDto } from '../patients/clinical-sql';

export class OutcomesQueryDto extends IncludeTestQueryDto {}

export class InstrumentOutcomeDto {
  @ApiProperty({
    description: 'Patients with at least two administrations (baseline and a later one)',
    example: 12,
  })
  n!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mean first (baseline) score',
    example: 17.4,
  })
  meanBaseline!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean latest score', example: 8.9 })
  meanLatest!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mean of latest − baseline (negative = improvement)',
    example: -8.5,
  })
  meanChange!: number | null;
  @ApiProperty({
    description: 'Patients whose latest score is at least 50% below a non-zero baseline',
    example: 7,
  })
  responders!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'responders / n', example: 0.583 })
  responderRate!: number | null;
}

export class SubstanceOutcomeDto {
  @ApiProperty({
    example: 'ibogaine',
    description: 'Lower-cased; `unspecified` when none was recorded',
  })
  substance!: string;
  @ApiProperty({ description: 'Patients whose recorded substance this is', example: 14 })
  patients!: number;
  @ApiProperty({ type: InstrumentOutcomeDto }) phq9!: InstrumentOutcomeDto;
  @ApiProperty({ type: InstrumentOutcomeDto }) gad7!: InstrumentOutcomeDto;
  @ApiProperty({ description: 'Treatment sessions with this substance', example: 18 })
  sessions!: number;
  @ApiProperty({ description: 'Adverse events logged in those sessions', example: 3 })
  adverseEvents!: number;
  @ApiProperty({ nullable: true, type: Number, example: 16.7 }) adverseEventsPer100Sessions!:
    number | null;
}

export class OutcomesTotalsDto {
  @ApiProperty({ example: 31 }) patients!: number;
  @ApiProperty({ example: 40 }) sessions!: number;
  @ApiProperty({ example: 5 }) adverseEvents!: number;
  @ApiProperty({ nullable: true, type: Number, example: 12.5 }) adverseEventsPer100Sessions!:
    number | null;
}

export class OutcomesDto {
  @ApiProperty({ type: [SubstanceOutcomeDto], description: 'One row per substance, alphabetical' })
  items!: SubstanceOutcomeDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Always null: every substance fits one page',
    example: null,
  })
  nextCursor!: null;
  @ApiProperty({ type: OutcomesTotalsDto }) totals!: OutcomesTotalsDto;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' }) generatedAt!: string;
}
