import { Controller, Get, Header, Headers } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../../common/decorators/public.decorator';
import { ApiErrorDto } from '../../common/errors/api-error.dto';
import { MetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly access: MetricsAccess,
  ) {}

  /** Public to the JWT guard: scrapers carry METRICS_TOKEN, not a user's token. */
  @Get()
  @Public()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Prometheus metrics (text exposition format) for a scraper holding METRICS_TOKEN; 404 when METRICS_TOKEN is unset',
  })
  @ApiHeader({ name: 'Authorization', required: true, description: 'Bearer <METRICS_TOKEN>' })
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: {
      'text/plain': {
        schema: {
          type: 'string',
          example: 'http_requests_total{method="GET",route="/patients",status="200"} 42',
        },
      },
    },
  })
  @ApiUnauthorizedResponse({
    type: ApiErrorDto,
    description: 'unauthenticated: missing or wrong METRICS_TOKEN',
  })
  @ApiNotFoundResponse({
    type: ApiErrorDto,
    description: 'not_found: metrics are disabled (METRICS_TOKEN unset)',
  })
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    this.access.check(authorization);
    return this.metrics.render();
  }
}
