import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import { CohortDto, CohortPageDto, ListCohortsQueryDto } from './benchmarks.dto';
import { BenchmarksService } from './benchmarks.service';

@ApiTags('benchmarks')
@Controller('benchmarks')
export class BenchmarksController {
  constructor(private readonly benchmarks: BenchmarksService) {}

  @Get('cohorts')
  @Authorize('read', 'BenchmarkCohort')
  @ApiOperation({
    summary: 'Published benchmark cohorts (read-only), newest first',
    description:
      'Loaded with `npm run cli -- import-cohorts FILE.csv`; each row carries its source citation and licence.',
  })
  @ApiOkResponse({ type: CohortPageDto })
  list(@Query() query: ListCohortsQueryDto): Promise<Page<CohortDto>> {
    return this.benchmarks.list(query);
  }
}
