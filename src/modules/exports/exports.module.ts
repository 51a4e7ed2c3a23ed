import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** Data Export: anonymised CSV, streamed. */
@Module({
  imports: [PatientsModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
