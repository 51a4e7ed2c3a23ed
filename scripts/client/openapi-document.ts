import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createFastifyAdapter } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { buildOpenApiDocument } from '../../src/common/openapi';
import { AppConfig } from '../../src/config/app-config';
import { parseEnv } from '../../src/config/env.schema';

/**
 * The app's OpenAPI document without a database: Nest's preview mode builds the module
 * graph and reads the controllers' decorators but instantiates no provider, so nothing
 * connects anywhere. The client e2e proves this is the document GET /docs-json serves.
 */
export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MIGRATIONS_RUN: 'false',
    DEMO_SEED: 'false',
    // Never dialled in preview mode.
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
  });
  const config = new AppConfig(env, 'postgres://openapi@127.0.0.1:1/openapi', false);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** JSON with object keys sorted at every level (arrays keep their order): stable diffs. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
