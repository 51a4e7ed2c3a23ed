import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DemoSeedService } from '../demo/demo-seed.service';
import { PartnersController } from '../partners/partners.controller';
import { PartnersService } from '../partners/partners.service';
import { TestDataService } from '../partners/test-data.service';
import { AdminAudit } from './admin-audit';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';
import { FeatureFlagsAdminService } from './feature-flags-admin.service';
import { FeatureFlagsController } from './feature-flags.controller';

/**
 * The admin panel (API.md "Admin panel", D8): users, partner provisioning and test-data
 * scrub (src/modules/partners), audit log, feature flags; and the demo data set
 * (src/modules/demo), which provisions partners the same way.
 */
@Module({
  imports: [AuditModule],
  controllers: [
    AdminUsersController,
    PartnersController,
    AuditLogController,
    FeatureFlagsController,
  ],
  providers: [
    AdminAudit,
    AdminUsersService,
    PartnersService,
    TestDataService,
    AuditLogService,
    FeatureFlagsAdminService,
    DemoSeedService,
  ],
  exports: [AdminUsersService, PartnersService, TestDataService, DemoSeedService],
})
export class AdminModule {}
