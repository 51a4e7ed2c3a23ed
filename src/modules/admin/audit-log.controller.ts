import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import { AuditLogEntryDto, AuditLogPageDto, AuditLogQueryDto } from './audit-log.dto';
import { AuditLogService } from './audit-log.service';

@ApiTags('admin')
@Controller('admin/audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @Authorize('read', 'AuditLog')
  @ApiOperation({
    summary:
      'Audit log: all rows for PLATFORM_ADMIN, their tenant’s for tenant OWNER/ADMIN; newest first',
  })
  @ApiOkResponse({ type: AuditLogPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: AuditLogQueryDto,
  ): Promise<Page<AuditLogEntryDto>> {
    return this.auditLog.list(access, query);
  }
}
