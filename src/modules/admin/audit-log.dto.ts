import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../common/pagination/pagination';

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Rows written by this user' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'user.update', description: 'Exact action name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/, { message: 'action must look like tenant.create' })
  action?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Rows at or after this instant',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: '$property must be an ISO 8601 date-time, e.g. 2026-06-30T00:00:00Z' },
  )
  since?: string;
}

export class AuditActorDto {
  @ApiProperty({ format: 'uuid', example: '2c9e5b1a-8f4d-4e7c-a3b6-9d0f1e2c5a74' })
  id!: string;

  @ApiProperty({ example: 'admin@example.com' })
  email!: string;
}

export class AuditLogEntryDto {
  @ApiProperty({ format: 'uuid', example: 'a7c3e9b1-5d2f-4a8c-9e6b-2f4d8a1c7e30' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: 'partner.provision' })
  action!: string;

  @ApiProperty({ example: 'User' })
  subjectType!: string;

  @ApiProperty({ type: String, nullable: true, example: '7e2a9c4f-1d8b-4f6e-9c3a-0b5d7e2f1a68' })
  subjectId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null: a platform-level row',
    example: null,
  })
  tenantId!: string | null;

  @ApiProperty({
    type: AuditActorDto,
    nullable: true,
    description: 'null: the CLI or a deleted user',
  })
  actor!: AuditActorDto | null;

  @ApiProperty({ type: String, nullable: true, example: 'e4b8d2f6-0a3c-4e9b-8d1f-7c5a9e3b2d60' })
  requestId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      tier: 'partner_free',
      tierExpiresAt: null,
      mockPatients: ['TEST-K7Q2M9X4LA', 'TEST-7K2M9Q4XZA', 'TEST-Q4XZA7K2M9'],
      invited: true,
    },
  })
  details!: Record<string, unknown>;
}

export class AuditLogPageDto extends PageDto {
  @ApiProperty({ type: [AuditLogEntryDto] })
  items!: AuditLogEntryDto[];
}
