import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { configureApp, createFastifyAdapter } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { parseEnv } from '../../src/config/env.schema';
import { HARNESS_ENV, withDatabase } from './database-urls';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

function harness(): { serverUrl: string; template: string } {
  const serverUrl = process.env[HARNESS_ENV.serverUrl];
  const template = process.env[HARNESS_ENV.template];
  if (!serverUrl || !template)
    throw new Error('e2e harness not initialised: run through jest --selectProjects e2e');
  return { serverUrl, template };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: harness().serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of this test file's own, cloned from the migrated template (or empty). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const { serverUrl, template } = harness();
  const name = `clinic_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(5).toString('hex')}`;
  await adminQuery(
    options.empty
      ? `CREATE DATABASE "${name}"`
      : `CREATE DATABASE "${name}" TEMPLATE "${template}"`,
  );
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

let keyPair: { privateKey: string; publicKey: string } | undefined;
/** One signing key pair per test process (generating one per app would cost time). */
export function testJwtKeys(): { privateKey: string; publicKey: string } {
  keyPair ??= generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return keyPair;
}

export function testEnv(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const keys = testJwtKeys();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MIGRATIONS_RUN: 'false',
    DATABASE_URL: databaseUrl,
    DEMO_SEED: 'false',
    JWT_PRIVATE_KEY: keys.privateKey,
    JWT_PUBLIC_KEY: keys.publicKey,
    MAIL_OUTBOX_DIR: `var/test-outbox/${randomBytes(4).toString('hex')}`,
    APP_URL: 'http://app.test',
    // Suites log many users in; the per-IP limit has its own test with a low value.
    RATE_LIMIT_AUTH_PER_IP: '100000',
    ...overrides,
  };
}

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  return new AppConfig(parseEnv(testEnv(databaseUrl, overrides)), databaseUrl, false);
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly database: TestDatabase;
  readonly dataSource: DataSource;
  /** A supertest client on the in-process server. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface StartTestAppOptions {
  readonly env?: Record<string, string>;
  readonly database?: TestDatabase;
  readonly customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra modules (e.g. a test-only controller) imported beside AppModule. */
  readonly extraImports?: ModuleMetadata['imports'];
}

/** Boots the real AppModule (through @nestjs/testing) on a fresh clone of the template. */
export async function startTestApp(options: StartTestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(database.url, options.env);
  let app: NestFastifyApplication;
  try {
    let builder = Test.createTestingModule({
      imports: [AppModule.forRoot(config), ...(options.extraImports ?? [])],
    });
    if (options.customize) builder = options.customize(builder);
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), {
      bufferLogs: true,
    });
    await configureApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    if (!options.database) await database.drop();
    throw error;
  }
  return {
    app,
    config,
    database,
    dataSource: app.get(DataSource),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
