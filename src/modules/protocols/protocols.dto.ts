import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
import { PageDto } from '../../common/pagination/pagination';
import { ClinicalPageQueryDto } from '../patients/clinical-sql';
import { INTERACTION_DISCLAIMER, INTERACTION_SEVERITIES } from './interactions';

export class BoosterDto {
  @ApiProperty({ example: 6, description: 'Hours after the first dose' })
  @IsNumber()
  @Min(0)
  @Max(720)
  afterHours!: number;

  @ApiProperty({ example: 3 })
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  mgPerKg!: number;
}

export class CreateProtocolDto {
  @ApiProperty({ example: 'Ibogaine HCl flood, 3 boosters', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'ibogaine', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  substance!: string;

  @ApiPropertyOptional({ example: 10, description: 'Planned first dose, mg/kg' })
  @IsOptional()
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  plannedMgPerKg?: number;

  @ApiPropertyOptional({
    example: 25,
    description: 'Cumulative ceiling, mg/kg (used by the dose calculator)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  ceilingMgPerKg?: number;

  @ApiPropertyOptional({ type: [BoosterDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BoosterDto)
  boosters?: BoosterDto[];

  @ApiPropertyOptional({
    maxLength: 5000,
    example: 'Boosters only after a normal ECG and electrolytes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class UpdateProtocolDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Ibogaine HCl flood, 3 boosters' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'ibogaine' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  substance?: string;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 10 })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  plannedMgPerKg?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 25 })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  ceilingMgPerKg?: number | null;

  @ApiPropertyOptional({ type: [BoosterDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BoosterDto)
  boosters?: BoosterDto[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 5000,
    example: 'Boosters only after a normal ECG and electrolytes',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(5000)
  notes?: string | null;
}

export class ListProtocolsQueryDto extends ClinicalPageQueryDto {
  @ApiPropertyOptional({ example: 'ibogaine', description: 'Case-insensitive exact substance' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  substance?: string;
}

export class ProtocolDto {
  @ApiProperty({ format: 'uuid', example: '8c1e5a3f-7d9b-4c2e-b0a6-4d8f2c6e1b97' }) id!: string;
  @ApiProperty({ example: 'Ibogaine HCl flood, 3 boosters' }) name!: string;
  @ApiProperty({ example: 'ibogaine' }) substance!: string;
  @ApiProperty({ nullable: true, type: Number, example: 10 }) plannedMgPerKg!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 25 }) ceilingMgPerKg!: number | null;
  @ApiProperty({ type: [BoosterDto] }) boosters!: BoosterDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Boosters only after a normal ECG and electrolytes',
  })
  notes!: string | null;
  @ApiProperty({ example: false }) isTest!: boolean;
  @ApiProperty({ format: 'uuid', example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  ownerId!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84',
  })
  tenantId!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-04-15T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-04-15T09:00:00.000Z' }) updatedAt!: string;
}

export class ProtocolPageDto extends PageDto {
  @ApiProperty({ type: [ProtocolDto] }) items!: ProtocolDto[];
}

export class DoseEntryDto {
  @ApiProperty({ example: 840, description: 'mg (≥ 0)' })
  @IsNumber()
  @Min(0)
  @Max(100_000)
  mg!: number;

  @ApiProperty({
    format: 'date-time',
    example: '2026-05-01T08:00:00Z',
    description: 'ISO 8601 with a UTC offset',
  })
  @IsString()
  @MaxLength(40)
  at!: string;
}

export class DoseCalculationDto {
  @ApiProperty({ example: 84 })
  @IsNumber()
  @Min(0.1)
  @Max(500)
  weightKg!: number;

  @ApiProperty({ type: [DoseEntryDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => DoseEntryDto)
  doses!: DoseEntryDto[];

  @ApiPropertyOptional({ example: 25, description: 'Cumulative ceiling, mg/kg' })
  @IsOptional()
  @IsNumber()
  @Min(0.001)
  @Max(1000)
  ceilingMgPerKg?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A protocol you can read (404 otherwise): its ceiling applies (the lower one when both are given)',
    example: '8c1e5a3f-7d9b-4c2e-b0a6-4d8f2c6e1b97',
  })
  @IsOptional()
  @IsUUID()
  protocolId?: string;
}

export class RunningDoseDto {
  @ApiProperty({ format: 'date-time', example: '2026-05-01T20:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 1932 }) cumulativeMg!: number;
  @ApiProperty({ example: 23 }) cumulativeMgPerKg!: number;
}

export class DoseCalculationResultDto {
  @ApiProperty({ example: 1932 }) totalMg!: number;
  @ApiProperty({ example: 23 }) totalMgPerKg!: number;
  @ApiProperty({ type: [RunningDoseDto], description: 'Oldest first' }) running!: RunningDoseDto[];
  @ApiProperty({
    type: [String],
    example: [
      'Cumulative dose is at 92% of the ceiling of 25 mg/kg (2100 mg at 84 kg): 1932 mg, 23 mg/kg; ' +
        'it reached 90% with the dose at 2026-05-01T20:00:00.000Z',
    ],
  })
  warnings!: string[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The ceiling that was applied',
    example: 25,
  })
  ceilingMgPerKg!: number | null;
}

export class InteractionCheckDto {
  @ApiProperty({
    type: [String],
    example: ['ibogaine'],
    description: 'Treatment substances (checked against each other and the medications)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  substances!: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['Suboxone'],
    description: 'Brand names are matched too (Suboxone → buprenorphine)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  medications?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A patient in your scope (404 otherwise): its medications join in',
    example: '5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10',
  })
  @IsOptional()
  @IsUUID()
  patientId?: string;
}

export class MatchedAsDto {
  @ApiPropertyOptional({ example: 'Ibogaine HCl' }) substance?: string;
  @ApiPropertyOptional({ example: 'Suboxone' }) agent?: string;
}

export class InteractionDto {
  @ApiProperty({ example: 'ibogaine' }) substance!: string;
  @ApiProperty({ example: 'buprenorphine' }) agent!: string;
  @ApiProperty({ enum: INTERACTION_SEVERITIES }) severity!: string;
  @ApiProperty({
    example:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine potentiates opioids; the ' +
      'long-acting partial agonist buprenorphine complicates ibogaine detoxification, so ' +
      'protocols transition patients to short-acting opioids first.',
  })
  note!: string;
  @ApiProperty({
    example: 'Global Ibogaine Therapy Alliance 2015: clinical guidelines for ibogaine',
  })
  source!: string;
  @ApiPropertyOptional({
    type: MatchedAsDto,
    description: 'The names as typed, when a brand name or synonym matched',
  })
  matchedAs?: MatchedAsDto;
}

export class InteractionCheckResultDto {
  @ApiProperty({ type: [InteractionDto], description: 'Most severe first' })
  interactions!: InteractionDto[];
  @ApiProperty({
    type: [String],
    description: 'Names the table does not know (which says nothing about their safety)',
    example: ['vitamin D3'],
  })
  unrecognized!: string[];
  @ApiProperty({ example: INTERACTION_DISCLAIMER }) disclaimer!: string;
}
