import { Module } from '@nestjs/common';
import { MetricsAccess } from './metrics-access';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics (Prometheus), enabled by METRICS_TOKEN. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccess],
  exports: [MetricsService],
})
export class MetricsModule {}
