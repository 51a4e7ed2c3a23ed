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
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() cohort!: string;
  @ApiProperty({ example: 'psilocybin' }) substance!: string;
  @ApiProperty() indication!: string;
  @ApiProperty() n!: number;
  @ApiProperty({ example: 'PHQ9' }) instrument!: string;
  @ApiProperty() baselineMean!: number;
  @ApiProperty() followupMean!: number;
  @ApiProperty() followupWeeks!: number;
  @ApiProperty() sourceCitation!: string;
  @ApiProperty() licence!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CohortPageDto extends PageDto {
  @ApiProperty({ type: [CohortDto] }) items!: CohortDto[];
}
