import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PlatformRole } from '../../src/abilities/platform-roles';
import type { Tier } from '../../src/abilities/tiers';
import { hashPassword } from '../../src/auth/passwords';
import type { TestApp } from '../harness/test-app';

export const DEFAULT_TEST_PASSWORD = 'test-password-0123456789';

export interface CreateUserOptions {
  readonly tier?: Tier;
  readonly platformRole?: PlatformRole | null;
  /** null = no password (invited / magic-link-only account). */
  readonly password?: string | null;
  readonly email?: string;
  readonly displayName?: string | null;
  readonly disabled?: boolean;
  /** false = invitation pending (activated_at null). */
  readonly activated?: boolean;
  readonly tierExpiresAt?: Date | null;
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string | null;
  readonly tier: Tier;
}

// argon2 costs ~50 ms per hash: hash each distinct password once per test process.
const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/** A user and their profile, inserted directly (no HTTP, no mail). */
export async function createUser(
  dataSource: DataSource,
  options: CreateUserOptions = {},
): Promise<TestUser> {
  const tier = options.tier ?? 'user_pro';
  const email = (
    options.email ?? `user-${randomBytes(5).toString('hex')}@example.test`
  ).toLowerCase();
  const password = options.password === undefined ? DEFAULT_TEST_PASSWORD : options.password;
  const passwordHash = password === null ? null : await hashOnce(password);
  const rows: { id: string }[] = await dataSource.query(
    `WITH u AS (
       INSERT INTO users (email, display_name, password_hash, platform_role, disabled_at, activated_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, CASE WHEN $6 THEN now() END)
       RETURNING id
     )
     INSERT INTO user_profiles (user_id, role_id, role_expires_at)
     SELECT u.id, (SELECT id FROM ref_user_roles WHERE role_name = $7), $8 FROM u
     RETURNING user_id AS id`,
    [
      email,
      options.displayName === undefined ? `Test ${tier}` : options.displayName,
      passwordHash,
      options.platformRole ?? null,
      options.disabled === true,
      options.activated !== false,
      tier,
      options.tierExpiresAt ?? null,
    ],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`createUser: tier ${tier} not found`);
  return { id, email, password, tier };
}

export interface TestTokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

/** POST /auth/login with the user's password; fails the test on anything but 200. */
export async function loginPair(t: TestApp, user: TestUser): Promise<TestTokenPair> {
  if (user.password === null) throw new Error(`loginAs: ${user.email} has no password`);
  const res = await t
    .http()
    .post('/auth/login')
    .send({ email: user.email, password: user.password });
  if (res.status !== 200) {
    throw new Error(`login of ${user.email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as TestTokenPair;
}

/** The user's access token, through the real login route. */
export async function loginAs(t: TestApp, user: TestUser): Promise<string> {
  return (await loginPair(t, user)).accessToken;
}
