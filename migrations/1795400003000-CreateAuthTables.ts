import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authentication state (issue 4). User-scoped, not tenant-scoped: a login belongs to a person,
 * whatever tenant they are in. All of it lives in PostgreSQL so that every app instance sees a
 * revocation at once. Secrets (refresh and link tokens) are stored only as SHA-256 hashes.
 */
export class CreateAuthTables1795400003000 implements MigrationInterface {
  name = 'CreateAuthTables1795400003000';

  public async up(q: QueryRunner): Promise<void> {
    // One row per login (a refresh-token family); access tokens carry its id as `sid`.
    await q.query(`
      CREATE TABLE auth_sessions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        method TEXT NOT NULL CHECK (method IN ('password', 'magic_link', 'invitation')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        revoked_at TIMESTAMPTZ,
        revoke_reason TEXT CHECK (revoke_reason IN ('logout', 'logout_all', 'refresh_reuse', 'revoked'))
      )`);
    await q.query(
      `CREATE INDEX auth_sessions_user_id_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE refresh_tokens (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id UUID NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
        user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash BYTEA NOT NULL CHECK (octet_length(token_hash) = 32),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        expires_at TIMESTAMPTZ NOT NULL,
        spent_at TIMESTAMPTZ
      )`);
    await q.query(
      `CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`,
    );
    await q.query(`CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at)`);

    await q.query(`
      CREATE TABLE link_tokens (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        type TEXT NOT NULL CHECK (type IN ('login', 'invite')),
        user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash BYTEA NOT NULL CHECK (octet_length(token_hash) = 32),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        expires_at TIMESTAMPTZ NOT NULL,
        consumed_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE UNIQUE INDEX link_tokens_token_hash_key ON link_tokens (token_hash)`);
    await q.query(`CREATE INDEX link_tokens_user_id_idx ON link_tokens (user_id)`);
    await q.query(`CREATE INDEX link_tokens_expires_at_idx ON link_tokens (expires_at)`);

    // Fixed-window counters for @nestjs/throttler and the failed-login limit, shared by all
    // instances. `key` is already a hash or a namespaced string; no personal data beyond it.
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key TEXT PRIMARY KEY,
        window_started_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        hits INTEGER NOT NULL CHECK (hits >= 0),
        blocked_until TIMESTAMPTZ
      )`);
    await q.query(
      `CREATE INDEX rate_limit_counters_expires_at_idx ON rate_limit_counters (expires_at)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
    await q.query(`DROP TABLE link_tokens`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE auth_sessions`);
  }
}
