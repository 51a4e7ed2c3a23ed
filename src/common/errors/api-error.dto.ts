import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes';

export class FieldProblemDto {
  @ApiProperty({ example: 'answers[3]' }) field!: string;
  @ApiProperty({ example: 'must be an integer between 0 and 3' }) message!: string;
}

/** The error body of every non-2xx answer (API.md "Conventions"). */
export class ApiErrorDto {
  @ApiProperty({ example: 403 }) statusCode!: number;
  @ApiProperty({ example: 'Forbidden' }) error!: string;
  @ApiProperty({ example: 'Tier user_free does not include analytics; …' }) message!: string;
  @ApiProperty({ enum: ERROR_CODES, example: 'feature_denied' }) code!: string;
  @ApiPropertyOptional({ example: 'analytics', nullable: true }) feature?: string | null;
  @ApiPropertyOptional({ example: 'read' }) action?: string;
  @ApiPropertyOptional({ example: 'user_free', nullable: true }) tier?: string | null;
  @ApiPropertyOptional({ example: 'Tier user_free does not include analytics; …' }) reason?: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] }) details?: FieldProblemDto[];
}
