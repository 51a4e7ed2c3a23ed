import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import { DashboardItemDto, DashboardPageDto, DashboardQueryDto } from './dashboard.dto';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Authorize('read', 'Dashboard')
  @ApiOperation({
    summary: 'Active sessions in your scope with their latest vitals and alerts, newest first',
  })
  @ApiOkResponse({ type: DashboardPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: DashboardQueryDto,
  ): Promise<Page<DashboardItemDto>> {
    return this.dashboard.list(access, query);
  }
}
