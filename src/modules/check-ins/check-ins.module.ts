import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CheckInsController } from './check-ins.controller';
import { CheckInsService } from './check-ins.service';

/** Daily check-ins (seed 003), private or shared with clinics; streaks (D13). */
@Module({
  imports: [TenancyModule],
  controllers: [CheckInsController],
  providers: [CheckInsService],
})
export class CheckInsModule {}
