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
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;
}

export class AuditLogEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'partner.provision' })
  action!: string;

  @ApiProperty({ example: 'User' })
  subjectType!: string;

  @ApiProperty({ type: String, nullable: true })
  subjectId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null: a platform-level row',
  })
  tenantId!: string | null;

  @ApiProperty({
    type: AuditActorDto,
    nullable: true,
    description: 'null: the CLI or a deleted user',
  })
  actor!: AuditActorDto | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}

export class AuditLogPageDto extends PageDto {
  @ApiProperty({ type: [AuditLogEntryDto] })
  items!: AuditLogEntryDto[];
}
