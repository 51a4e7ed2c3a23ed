import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AbilitiesModule } from './abilities/abilities.module';
import { AuthModule } from './auth/auth.module';
import { AdminModule } from './modules/admin/admin.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { loggerParams } from './common/logging/logging';
import { AuditModule } from './modules/audit/audit.module';
import { BootstrapModule } from './modules/bootstrap/bootstrap.module';
import { CheckInsModule } from './modules/check-ins/check-ins.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { PatientsModule } from './modules/patients/patients.module';
import { SessionVitalsModule } from './modules/session-vitals/session-vitals.module';
import { AssessmentsModule } from './modules/assessments/assessments.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { ProtocolsModule } from './modules/protocols/protocols.module';
import { ExportsModule } from './modules/exports/exports.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { BenchmarksModule } from './modules/benchmarks/benchmarks.module';
import { TenancyModule } from './modules/tenancy/tenancy.module';
import { UsersModule } from './modules/users/users.module';

/**
 * The application. Built from an already-validated configuration so that the entry point,
 * the CLI and every e2e suite (each on its own database) configure it the same way.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Values are validated by parseEnv before this point; ConfigModule only exposes them.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ ...config.env })],
        }),
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.env)),
        DatabaseModule,
        UsersModule,
        BootstrapModule,
        HealthModule,
        // GET /metrics for Prometheus, off unless METRICS_TOKEN is set (issue 10).
        MetricsModule,
        // Its global JwtAuthGuard authenticates every route not marked @Public().
        AuthModule,
        // Clinical features (issue 6).
        PatientsModule,
        SessionVitalsModule,
        AssessmentsModule,
        DashboardModule,
        ProtocolsModule,
        ExportsModule,
        AnalyticsModule,
        BenchmarksModule,
        // Tenancy and check-ins (issue 5); the audit log, used by every feature.
        AuditModule,
        TenancyModule,
        CheckInsModule,
        // Admin panel, partner beta and demo data (issue 7).
        AdminModule,
        // Last: its global AbilityGuard must run after the authentication guard.
        AbilitiesModule,
      ],
    };
  }
}
