import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import { OutcomesDto, OutcomesQueryDto } from './analytics.dto';
import { AnalyticsService } from './analytics.service';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('outcomes')
  @Authorize('read', 'Analytics')
  @ApiOperation({
    summary: 'Outcome aggregates in your scope, per substance',
    description:
      'PHQ-9 and GAD-7 baseline (first) → latest change per patient (patients with ≥ 2 administrations), responders (≥ 50% reduction), ' +
      'adverse events per 100 sessions. Patient substance groups the outcomes; session substance groups sessions and adverse events.',
  })
  @ApiOkResponse({ type: OutcomesDto })
  outcomes(
    @Access() access: AccessContext,
    @Query() query: OutcomesQueryDto,
  ): Promise<OutcomesDto> {
    return this.analytics.outcomes(access, query);
  }
}
