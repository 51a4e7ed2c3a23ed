import type { Env } from './env.schema';

/**
 * The validated environment, injected wherever configuration is needed (never
 * `process.env` outside src/config and the entry points). `databaseUrl` is resolved at
 * boot: DATABASE_URL, or the embedded server's URL.
 */
export class AppConfig {
  constructor(
    readonly env: Env,
    readonly databaseUrl: string,
    readonly embeddedDatabase: boolean,
  ) {}
}
