import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { InvalidEnvironmentError, parseEnv } from './config/env.schema';
import { resolveDatabase } from './database/resolve-database';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  const database = await resolveDatabase(env, (line) => console.log(line));
  const config = new AppConfig(env, database.url, database.embedded !== null);
  const app = await createApp(config);
  if (database.embedded) {
    const embedded = database.embedded;
    // After Nest has closed its pool, stop the embedded server too.
    process.once('beforeExit', () => void embedded.stop());
  }
  await app.listen({ port: env.PORT, host: env.HOST });
  console.log(
    `API listening on http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT} (docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    console.error(error.message);
  } else {
    console.error('Startup failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
