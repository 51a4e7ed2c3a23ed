import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import { ApiErrorDto } from '../../common/errors/api-error.dto';
import type { Page } from '../../common/pagination/pagination';
import { OwnTransaction } from '../../database/request-transaction.interceptor';
import { FeatureFlagDto, FeatureFlagPageDto, SetFeatureFlagDto } from './feature-flags.dto';
import { FeatureFlagsAdminService } from './feature-flags-admin.service';

/** Feature kill switches (D7), PLATFORM_ADMIN only. */
@ApiTags('admin')
@Controller('admin/feature-flags')
export class FeatureFlagsController {
  constructor(private readonly flags: FeatureFlagsAdminService) {}

  @Get()
  @Authorize('read', 'FeatureFlag')
  @ApiOperation({ summary: 'Every feature with its platform-wide state and per-tenant overrides' })
  @ApiOkResponse({ type: FeatureFlagPageDto })
  list(): Promise<Page<FeatureFlagDto>> {
    return this.flags.list();
  }

  @Put(':feature')
  @Authorize('update', 'FeatureFlag')
  @OwnTransaction()
  @ApiOperation({
    summary:
      'Switch a feature off or on, platform-wide or for one tenant. Unknown feature: 404; admin_panel off: 409',
  })
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'admin_panel cannot be switched off' })
  set(
    @Access() access: AccessContext,
    @Param('feature') feature: string,
    @Body() dto: SetFeatureFlagDto,
  ): Promise<FeatureFlagDto> {
    return this.flags.set(access, feature, dto);
  }
}
