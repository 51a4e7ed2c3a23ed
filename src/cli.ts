import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError, parseEnv } from './config/env.schema';
import { resolveDatabase } from './database/resolve-database';

/** `npm run cli -- <command> [options]`: DATABASE_URL's server, or the embedded one (stop `npm start` first). */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv({ LOG_LEVEL: 'warn', ...process.env });
  const database = await resolveDatabase(env, (line) => console.error(line));
  const config = new AppConfig(env, database.url, database.embedded !== null);
  try {
    await CommandFactory.run(CliModule.forRoot(config), {
      logger: ['error', 'warn'],
      errorHandler: (error) => {
        console.error(error.message);
        process.exitCode = 1;
      },
      serviceErrorHandler: (error) => {
        console.error(error.message);
        process.exitCode = 1;
      },
    });
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof InvalidEnvironmentError
      ? error.message
      : error instanceof Error
        ? error.message
        : error,
  );
  process.exit(1);
});
