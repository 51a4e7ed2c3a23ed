import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../common/pagination/pagination';

export class ListCohortsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'psilocybin', description: 'Case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  substance?: string;

  @ApiPropertyOptional({ example: 'PHQ9', description: 'Case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  instrument?: string;
}

export class CohortDto {
  @ApiProperty({ format: 'uuid', example: '1d6f8b2e-4a9c-4e7f-9b3d-8c2a5f0e7d16' }) id!: string;
  @ApiProperty({ example: 'ILLUSTRATIVE sample A' }) cohort!: string;
  @ApiProperty({ example: 'psilocybin' }) substance!: string;
  @ApiProperty({ example: 'treatment-resistant depression' }) indication!: string;
  @ApiProperty({ example: 24 }) n!: number;
  @ApiProperty({ example: 'PHQ9' }) instrument!: string;
  @ApiProperty({ example: 19 }) baselineMean!: number;
  @ApiProperty({ example: 10.5 }) followupMean!: number;
  @ApiProperty({ example: 8 }) followupWeeks!: number;
  @ApiProperty({ example: 'Illustrative sample row, not a real study' }) sourceCitation!: string;
  @ApiProperty({ example: 'CC0-1.0 (illustrative sample)' }) licence!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' }) updatedAt!: string;
}

export class CohortPageDto extends PageDto {
  @ApiProperty({ type: [CohortDto] }) items!: CohortDto[];
}
