import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';
import { Db } from './request-context';
import { TierRegistry } from './tier-registry';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        // Migrations run on their own connection before the pool opens (MIGRATIONS_RUN=false
        // for deployments that migrate as a separate step).
        if (config.env.MIGRATIONS_RUN) await runMigrations(config.databaseUrl);
        return {
          ...buildDataSourceOptions({
            url: config.databaseUrl,
            poolMax: config.env.DATABASE_POOL_MAX,
            statementTimeoutMs: config.env.DATABASE_STATEMENT_TIMEOUT_MS,
          }),
          // Fail fast at boot instead of retrying for minutes; an orchestrator restarts us.
          retryAttempts: 2,
          retryDelay: 500,
        };
      },
    }),
  ],
  providers: [TierRegistry, Db],
  exports: [TierRegistry, Db],
})
export class DatabaseModule {}
