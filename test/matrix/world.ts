/**
 * A minimal direct-SQL world builder for the authorization matrix (independent of the shared
 * factories, and fast: no argon2 — callers log in through a login link inserted here and spent
 * on POST /auth/magic-link/consume, the public route API.md defines).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import type { ClinicRef, ClinicRole, TenantRef, TenantRole, Tier } from './spec-tables';

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

/** In-process HTTP through Fastify's inject (no sockets). */
export class Http {
  constructor(private readonly app: NestFastifyApplication) {}

  async send(
    method: string,
    url: string,
    token: string | null,
    body?: unknown,
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        headers,
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
    let json: unknown = undefined;
    try {
      json = res.body ? (JSON.parse(res.body) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, text: res.body, json };
  }
}

/** Real ids of the abstract positions T1/T2 and C1a/C1b/C2a (a clone world maps T1 elsewhere). */
export interface Positions {
  readonly tenants: Readonly<Record<TenantRef, string>>;
  readonly clinics: Readonly<Record<ClinicRef, string>>;
}

export interface NewUser {
  readonly tier: Tier;
  readonly expired?: boolean;
  readonly platformAdmin?: boolean;
  readonly tenant?: { readonly id: string; readonly role: TenantRole } | null;
  readonly clinics?: readonly { readonly id: string; readonly role: ClinicRole }[];
}

export interface PatientRow {
  readonly id: string;
  readonly subjectId: string;
  readonly tenantId: string | null;
  readonly sessionId: string;
  readonly adverseEventId: string;
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function subjectId(isTest: boolean): string {
  const bytes = randomBytes(10);
  const core = Array.from(bytes, (b) => ALPHANUM[b % ALPHANUM.length]).join('');
  return isTest ? `TEST-${core}` : core;
}
export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(5).toString('hex')}`;
}
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@matrix.test`;
}

export class WorldBuilder {
  private roleIds = new Map<string, number>();

  constructor(
    readonly db: DataSource,
    readonly http: Http,
  ) {}

  async init(): Promise<void> {
    const rows = await this.db.query<{ id: number; role_name: string }[]>(
      `SELECT id, role_name FROM ref_user_roles`,
    );
    for (const row of rows) this.roleIds.set(row.role_name, row.id);
  }

  roleId(tier: Tier): number {
    const id = this.roleIds.get(tier);
    if (id === undefined) throw new Error(`tier ${tier} missing from ref_user_roles`);
    return id;
  }

  async tenant(seatLimit: number | null = 100_000): Promise<string> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO tenants (name, seat_limit) VALUES ($1, $2) RETURNING id`,
      [uniqueName('Matrix tenant'), seatLimit],
    );
    return rows[0].id;
  }

  async clinic(tenantId: string): Promise<string> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO clinics (tenant_id, name) VALUES ($1, $2) RETURNING id`,
      [tenantId, uniqueName('Matrix clinic')],
    );
    return rows[0].id;
  }

  /** A fresh world position set: tenant Tx with clinics Cxa, Cxb; T2/C2a kept from `base`. */
  async clonePositions(base: Positions): Promise<Positions> {
    const t = await this.tenant();
    const [a, b] = await Promise.all([this.clinic(t), this.clinic(t)]);
    return {
      tenants: { T1: t, T2: base.tenants.T2 },
      clinics: { C1a: a, C1b: b, C2a: base.clinics.C2a },
    };
  }

  /** One statement: user, profile, tenant membership and clinic memberships. */
  async user(spec: NewUser): Promise<string> {
    const id = randomUUID();
    // beta_observer is time-boxed: a live one expires in 30 days, an expired one yesterday.
    const expires =
      spec.tier === 'beta_observer' || spec.expired
        ? new Date(Date.now() + (spec.expired ? -1 : 30) * 86_400_000).toISOString()
        : null;
    await this.db.query(
      `WITH u AS (
         INSERT INTO users (id, email, display_name, platform_role, activated_at)
         VALUES ($1, $2, $3, $4, now()) RETURNING id),
       p AS (INSERT INTO user_profiles (user_id, role_id, role_expires_at) SELECT id, $5, $6 FROM u),
       tm AS (INSERT INTO tenant_members (tenant_id, user_id, role) SELECT $7::uuid, id, $8 FROM u WHERE $7::uuid IS NOT NULL)
       INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role)
       SELECT $7::uuid, c.clinic_id, u.id, c.role FROM u, jsonb_to_recordset($9::jsonb) AS c(clinic_id uuid, role text)`,
      [
        id,
        uniqueEmail(spec.tier.replace(/_/g, '-')),
        `Matrix ${spec.tier}`,
        spec.platformAdmin ? 'PLATFORM_ADMIN' : null,
        this.roleId(spec.tier),
        expires,
        spec.tenant?.id ?? null,
        spec.tenant?.role ?? null,
        JSON.stringify(
          spec.tenant ? (spec.clinics ?? []).map((c) => ({ clinic_id: c.id, role: c.role })) : [],
        ),
      ],
    );
    return id;
  }

  /** Grants the user a seat as OWNER/ADMIN would have (tier user_enterprise, previous tier kept). */
  async seat(tenantId: string, userId: string, previous: Tier): Promise<void> {
    await this.db.query(
      `INSERT INTO seat_grants (tenant_id, user_id, previous_role_id) VALUES ($1, $2, $3)`,
      [tenantId, userId, this.roleId(previous)],
    );
    await this.db.query(`UPDATE user_profiles SET role_id = $2 WHERE user_id = $1`, [
      userId,
      this.roleId('user_enterprise'),
    ]);
  }

  /** Logs a user in without a password: a login link stored hashed, spent through the API. */
  async login(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = createHash('sha256').update(token, 'utf8').digest();
    await this.db.query(
      `INSERT INTO link_tokens (type, user_id, token_hash, expires_at) VALUES ('login', $1, $2, now() + interval '1 hour')`,
      [userId, hash],
    );
    const res = await this.http.send('POST', '/auth/magic-link/consume', null, { token });
    const access = (res.json as { accessToken?: string } | undefined)?.accessToken;
    if (res.status !== 200 || !access)
      throw new Error(`login of ${userId} failed: ${res.status} ${res.text}`);
    return access;
  }

  /** A patient with one active session (one vitals row, one adverse event) and one PHQ-9, in one statement. */
  async patient(spec: {
    ownerId: string;
    tenantId: string | null;
    clinicId: string | null;
    isTest: boolean;
  }): Promise<PatientRow> {
    const sid = subjectId(spec.isTest);
    const [id, sessionId, adverseEventId] = [randomUUID(), randomUUID(), randomUUID()];
    await this.db.query(
      `WITH p AS (
         INSERT INTO patients (id, tenant_id, clinic_id, owner_id, subject_id, is_test, initials, substance, medications)
         VALUES ($1, $2, $3, $4, $5, $6, 'MX', 'ibogaine', '{lithium}') RETURNING id),
       s AS (
         INSERT INTO treatment_sessions (id, tenant_id, patient_id, substance, started_at, created_by)
         SELECT $7, $2, id, 'ibogaine', now() - interval '2 hours', $4 FROM p RETURNING id, patient_id),
       v AS (
         INSERT INTO vitals (tenant_id, session_id, patient_id, recorded_at, heart_rate, qt_ms, created_by)
         SELECT $2, id, patient_id, now() - interval '1 hour', 80, 420, $4 FROM s),
       a AS (
         INSERT INTO adverse_events (id, tenant_id, session_id, patient_id, occurred_at, description, severity, created_by)
         SELECT $8, $2, id, patient_id, now() - interval '90 minutes', 'diaphoresis', 'mild', $4 FROM s)
       INSERT INTO assessments (tenant_id, patient_id, instrument, answers, score, severity, created_by)
       SELECT $2, id, 'PHQ9', '{0,0,0,0,0,0,0,0,0}', 0, 'minimal', $4 FROM p`,
      [id, spec.tenantId, spec.clinicId, spec.ownerId, sid, spec.isTest, sessionId, adverseEventId],
    );
    return { id, subjectId: sid, tenantId: spec.tenantId, sessionId, adverseEventId };
  }

  async protocol(spec: {
    ownerId: string;
    tenantId: string | null;
    isTest: boolean;
  }): Promise<string> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO protocols (tenant_id, owner_id, is_test, name, substance, planned_mg_per_kg)
       VALUES ($1, $2, $3, $4, 'ibogaine', 10) RETURNING id`,
      [spec.tenantId, spec.ownerId, spec.isTest, uniqueName('Matrix protocol')],
    );
    return rows[0].id;
  }

  async checkIn(spec: {
    authorId: string;
    tenantId: string | null;
    isPrivate: boolean;
    sharedWith: readonly { tenantId: string; clinicId: string }[];
  }): Promise<string> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO check_ins (tenant_id, author_id, mood, note, is_private) VALUES ($1, $2, 6, 'matrix', $3) RETURNING id`,
      [spec.tenantId, spec.authorId, spec.isPrivate],
    );
    for (const share of spec.sharedWith) {
      await this.db.query(
        `INSERT INTO check_in_shares (tenant_id, check_in_id, clinic_id) VALUES ($1, $2, $3)`,
        [share.tenantId, rows[0].id, share.clinicId],
      );
    }
    return rows[0].id;
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  });
  await Promise.all(workers);
}
