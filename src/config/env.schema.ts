/**
 * Environment schema: every variable the app reads, its default and its validation.
 * `.env.example` lists the same variables (a unit test checks they agree).
 * Secrets come only from the environment; nothing secret has a default outside development.
 */

type Parser<T> = (raw: string, name: string) => T;

interface VarSpec<T> {
  readonly parse: Parser<T>;
  /** `undefined` = required. A function gets the partially-read env (e.g. NODE_ENV). */
  readonly default?: string | null;
  readonly description: string;
  readonly secret?: boolean;
}

class EnvError extends Error {}

const int =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    if (!/^-?\d+$/.test(raw.trim()))
      throw new EnvError(`${name} must be an integer (got "${raw}")`);
    const n = Number(raw);
    if (n < min || n > max)
      throw new EnvError(`${name} must be between ${min} and ${max} (got ${n})`);
    return n;
  };
const bool: Parser<boolean> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new EnvError(`${name} must be true or false (got "${raw}")`);
};
const str: Parser<string> = (raw) => raw;
const oneOf =
  <const V extends readonly string[]>(values: V): Parser<V[number]> =>
  (raw, name) => {
    if (!(values as readonly string[]).includes(raw))
      throw new EnvError(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
    return raw;
  };
const url =
  (protocols: readonly string[]): Parser<string> =>
  (raw, name) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new EnvError(`${name} must be a URL (got "${raw}")`);
    }
    if (!protocols.includes(parsed.protocol))
      throw new EnvError(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
    return raw;
  };
const email: Parser<string> = (raw, name) => {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw))
    throw new EnvError(`${name} must be an email address`);
  return raw.toLowerCase();
};
const pem =
  (kind: 'PRIVATE' | 'PUBLIC'): Parser<string> =>
  (raw, name) => {
    const text = raw.includes('\\n') ? raw.replace(/\\n/g, '\n') : raw;
    if (
      !text.includes(`-----BEGIN ${kind} KEY-----`) &&
      !text.includes('-----BEGIN EC PRIVATE KEY-----')
    )
      throw new EnvError(`${name} must be a PEM ${kind.toLowerCase()} key (BEGIN ${kind} KEY)`);
    return text;
  };

export const ENV_SCHEMA = {
  NODE_ENV: {
    parse: oneOf(['development', 'production', 'test'] as const),
    default: 'development',
    description: 'Runtime mode',
  },
  HOST: { parse: str, default: '0.0.0.0', description: 'Interface to listen on' },
  PORT: { parse: int(1, 65535), default: '3000', description: 'HTTP port' },
  APP_URL: {
    parse: url(['http:', 'https:']),
    default: 'http://localhost:3000',
    description: 'Public base URL used in emailed links',
  },
  LOG_LEVEL: {
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    default: 'info',
    description: 'pino log level',
  },
  DOCS_ENABLED: {
    parse: bool,
    default: 'true',
    description: 'Serve OpenAPI UI at /docs and JSON at /docs-json',
  },
  TRUST_PROXY: {
    parse: bool,
    default: 'false',
    description: 'Trust X-Forwarded-For (behind a load balancer) for client IPs',
  },

  DATABASE_URL: {
    parse: url(['postgres:', 'postgresql:']),
    default: null,
    description: 'PostgreSQL URL; unset = embedded PostgreSQL under var/',
    secret: true,
  },
  DATABASE_POOL_MAX: {
    parse: int(1, 500),
    default: '10',
    description: 'Max connections in the pool',
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    parse: int(0, 3_600_000),
    default: '30000',
    description: 'statement_timeout for app queries (0 = none)',
  },
  MIGRATIONS_RUN: {
    parse: bool,
    default: 'true',
    description: 'Apply pending migrations at boot (false when migrating as a separate step)',
  },
  EMBEDDED_PG_DIR: {
    parse: str,
    default: 'var/postgres',
    description: 'Data directory of the embedded PostgreSQL (kept between runs)',
  },
  EMBEDDED_PG_PORT: {
    parse: int(1, 65535),
    default: '54329',
    description: 'Port of the embedded PostgreSQL',
  },
  DEMO_SEED: {
    parse: bool,
    default: null,
    description:
      'Seed the demo data set once (default: true on the embedded database, false otherwise)',
  },

  BOOTSTRAP_ADMIN_EMAIL: {
    parse: email,
    default: null,
    description: 'First PLATFORM_ADMIN, created at boot when none exists',
  },
  BOOTSTRAP_ADMIN_PASSWORD: {
    parse: str,
    default: null,
    description: 'Password of the bootstrap admin (min 12 chars)',
    secret: true,
  },

  JWT_PRIVATE_KEY: {
    parse: pem('PRIVATE'),
    default: null,
    description:
      'PEM private key (Ed25519 or EC P-256) signing access tokens; required in production',
    secret: true,
  },
  JWT_PUBLIC_KEY: {
    parse: pem('PUBLIC'),
    default: null,
    description: 'PEM public key matching JWT_PRIVATE_KEY',
    secret: false,
  },
  JWT_ISSUER: { parse: str, default: 'clinic-rbac', description: 'iss claim of access tokens' },
  JWT_AUDIENCE: {
    parse: str,
    default: 'clinic-rbac-api',
    description: 'aud claim of access tokens',
  },
  JWT_ACCESS_TTL: {
    parse: int(30, 86_400),
    default: '900',
    description: 'Access token lifetime, seconds',
  },
  JWT_REFRESH_TTL: {
    parse: int(300, 31_536_000),
    default: '1209600',
    description: 'Refresh token lifetime, seconds',
  },
  SESSION_MAX_AGE: {
    parse: int(3600, 31_536_000),
    default: '2592000',
    description:
      'Absolute session lifetime, seconds: no refresh once this long has passed since the login (ASVS 7.3.2)',
  },
  CREDENTIAL_PURGE_INTERVAL: {
    parse: int(0, 604_800),
    default: '3600',
    description:
      'Seconds between purges of unusable refresh tokens, links and rate-limit windows; 0 = never (use the CLI)',
  },
  MAGIC_LINK_TTL: {
    parse: int(60, 86_400),
    default: '900',
    description: 'Login link lifetime, seconds',
  },
  INVITATION_TTL: {
    parse: int(3600, 2_592_000),
    default: '259200',
    description: 'Invitation lifetime, seconds',
  },

  RATE_LIMIT_LOGIN_FAILURES: {
    parse: int(1, 10_000),
    default: '10',
    description: 'Failed logins per submitted email per window',
  },
  RATE_LIMIT_LOGIN_WINDOW: {
    parse: int(1, 86_400),
    default: '900',
    description: 'Window of the failed-login limit, seconds',
  },
  RATE_LIMIT_AUTH_PER_IP: {
    parse: int(1, 100_000),
    default: '100',
    description: 'Requests per IP per window on /auth/*',
  },
  RATE_LIMIT_AUTH_WINDOW: {
    parse: int(1, 86_400),
    default: '60',
    description: 'Window of the per-IP /auth limit, seconds',
  },

  SMTP_URL: {
    parse: url(['smtp:', 'smtps:']),
    default: null,
    description: 'SMTP server; unset = write .eml files to MAIL_OUTBOX_DIR',
    secret: true,
  },
  MAIL_FROM: {
    parse: str,
    default: 'PPN Beta <beta@localhost>',
    description: 'From header of outgoing mail',
  },
  MAIL_OUTBOX_DIR: {
    parse: str,
    default: 'var/outbox',
    description: 'Where .eml files go when SMTP_URL is unset',
  },

  FREE_TIER_ACTIVE_PATIENTS: {
    parse: int(0, 1_000_000),
    default: '3',
    description: 'D4: max non-archived patients on a basic tier',
  },
  METRICS_TOKEN: {
    parse: str,
    default: null,
    description: 'Bearer token for GET /metrics; unset = /metrics disabled',
    secret: true,
  },
} as const satisfies Record<string, VarSpec<unknown>>;

type Schema = typeof ENV_SCHEMA;
type ParsedValue<K extends keyof Schema> = ReturnType<Schema[K]['parse']>;
export type Env = {
  readonly [K in keyof Schema]: Schema[K]['default'] extends null
    ? ParsedValue<K> | null
    : ParsedValue<K>;
};

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses and validates `source`; throws one error listing one line per bad variable. */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ENV_SCHEMA) as [string, VarSpec<unknown>][]) {
    const raw = source[name];
    if (raw === undefined || raw === '') {
      if (spec.default === undefined) problems.push(`${name} is required (${spec.description})`);
      else out[name] = spec.default === null ? null : spec.parse(spec.default, name);
      continue;
    }
    try {
      out[name] = spec.parse(raw, name);
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      problems.push(error.message);
    }
  }
  const env = out as Env;
  if (problems.length === 0) problems.push(...crossFieldProblems(env));
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}

function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  if ((env.JWT_PRIVATE_KEY === null) !== (env.JWT_PUBLIC_KEY === null))
    problems.push('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY must be set together');
  if (env.NODE_ENV === 'production' && env.JWT_PRIVATE_KEY === null)
    problems.push('JWT_PRIVATE_KEY is required when NODE_ENV=production');
  if ((env.BOOTSTRAP_ADMIN_EMAIL === null) !== (env.BOOTSTRAP_ADMIN_PASSWORD === null))
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  if (env.BOOTSTRAP_ADMIN_PASSWORD !== null && env.BOOTSTRAP_ADMIN_PASSWORD.length < 12)
    problems.push('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');
  return problems;
}

export function envExampleLines(): string[] {
  return Object.entries(ENV_SCHEMA).map(
    ([name, spec]: [string, VarSpec<unknown>]) =>
      `# ${spec.description}\n${spec.default === null || spec.default === undefined ? '# ' : ''}${name}=${spec.default ?? ''}`,
  );
}
