import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { ProtocolsController } from './protocols.controller';
import { ProtocolsService } from './protocols.service';

/** Protocol Builder: protocols, the running dose calculator and the interaction checker. */
@Module({
  imports: [PatientsModule],
  controllers: [ProtocolsController],
  providers: [ProtocolsService],
})
export class ProtocolsModule {}
