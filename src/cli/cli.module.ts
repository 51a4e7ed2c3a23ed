import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { AdminModule } from '../modules/admin/admin.module';
import { BenchmarksModule } from '../modules/benchmarks/benchmarks.module';
import { BootstrapModule } from '../modules/bootstrap/bootstrap.module';
import { CreateAdminCommand } from './create-admin.command';
import { ImportCohortsCommand } from './import-cohorts.command';
import { InvitePartnersCommand } from './invite-partners.command';
import { PurgeExpiredCredentialsCommand } from './purge-expired-credentials.command';
import { ScrubTestDataCommand } from './scrub-test-data.command';
import { SeedDemoCommand } from './seed-demo.command';

/** Every CLI command; each is a provider run by nest-commander inside the app's context. */
export const COMMANDS: Provider[] = [
  CreateAdminCommand,
  InvitePartnersCommand,
  ScrubTestDataCommand,
  SeedDemoCommand,
  ImportCohortsCommand,
  PurgeExpiredCredentialsCommand,
];

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot(config), BootstrapModule, AdminModule, BenchmarksModule],
      providers: COMMANDS,
    };
  }
}
