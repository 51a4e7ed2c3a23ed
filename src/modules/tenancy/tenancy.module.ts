import { Module } from '@nestjs/common';
import { ClinicMembersService } from './clinic-members.service';
import { ClinicsController } from './clinics.controller';
import { ClinicsService } from './clinics.service';
import { MembershipEffects } from './membership-effects';
import { SeatsService } from './seats.service';
import { TenancyRecords } from './tenancy-records';
import { TenantMembersService } from './tenant-members.service';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

/** Tenants, clinics, memberships and seats (seed 003's matrix; D5, D6, D8, D9). */
@Module({
  controllers: [TenantsController, ClinicsController],
  providers: [
    TenancyRecords,
    MembershipEffects,
    TenantsService,
    TenantMembersService,
    SeatsService,
    ClinicsService,
    ClinicMembersService,
  ],
  exports: [TenancyRecords, MembershipEffects],
})
export class TenancyModule {}
