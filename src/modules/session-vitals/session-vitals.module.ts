import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

/** Session Vitals: treatment sessions, vitals with QTc alerts, doses, subjective logs, adverse events. */
@Module({
  imports: [PatientsModule],
  controllers: [SessionsController],
  providers: [SessionsService],
})
export class SessionVitalsModule {}
