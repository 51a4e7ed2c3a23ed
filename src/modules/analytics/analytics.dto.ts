import { ApiProperty } from '@nestjs/swagger';
import { IncludeTestQueryDto } from '../patients/clinical-sql';

export class OutcomesQueryDto extends IncludeTestQueryDto {}

export class InstrumentOutcomeDto {
  @ApiProperty({
    description: 'Patients with at least two administrations (baseline and a later one)',
  })
  n!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean first (baseline) score' })
  meanBaseline!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean latest score' }) meanLatest!:
    number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mean of latest − baseline (negative = improvement)',
  })
  meanChange!: number | null;
  @ApiProperty({
    description: 'Patients whose latest score is at least 50% below a non-zero baseline',
  })
  responders!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'responders / n' }) responderRate!:
    number | null;
}

export class SubstanceOutcomeDto {
  @ApiProperty({
    example: 'ibogaine',
    description: 'Lower-cased; `unspecified` when none was recorded',
  })
  substance!: string;
  @ApiProperty({ description: 'Patients whose recorded substance this is' }) patients!: number;
  @ApiProperty({ type: InstrumentOutcomeDto }) phq9!: InstrumentOutcomeDto;
  @ApiProperty({ type: InstrumentOutcomeDto }) gad7!: InstrumentOutcomeDto;
  @ApiProperty({ description: 'Treatment sessions with this substance' }) sessions!: number;
  @ApiProperty({ description: 'Adverse events logged in those sessions' }) adverseEvents!: number;
  @ApiProperty({ nullable: true, type: Number }) adverseEventsPer100Sessions!: number | null;
}

export class OutcomesTotalsDto {
  @ApiProperty() patients!: number;
  @ApiProperty() sessions!: number;
  @ApiProperty() adverseEvents!: number;
  @ApiProperty({ nullable: true, type: Number }) adverseEventsPer100Sessions!: number | null;
}

export class OutcomesDto {
  @ApiProperty({ type: [SubstanceOutcomeDto], description: 'One row per substance, alphabetical' })
  items!: SubstanceOutcomeDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Always null: every substance fits one page',
  })
  nextCursor!: null;
  @ApiProperty({ type: OutcomesTotalsDto }) totals!: OutcomesTotalsDto;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}
