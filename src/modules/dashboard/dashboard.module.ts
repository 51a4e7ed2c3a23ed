import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** Multi-patient Dashboard. */
@Module({
  imports: [PatientsModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
