import type { DataSource } from 'typeorm';
import type { TestApp } from '../harness/test-app';
import type { SweepRoute } from './route-inventory';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request through the in-process server (supertest, no network). */
export async function send(t: TestApp, call: Call): Promise<Answer> {
  const method = call.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = t.http()[method](call.path);
  if (call.token) req = req.set('authorization', `Bearer ${call.token}`);
  for (const [k, v] of Object.entries(call.headers ?? {})) req = req.set(k, v);
  if (call.query) req = req.query(call.query);
  const res = call.body === undefined ? await req : await req.send(call.body as object);
  return { status: res.status, body: res.body as unknown, text: res.text ?? '' };
}

export const describeCall = (c: Call): string =>
  `${c.method} ${c.path}${c.query ? `?${new URLSearchParams(c.query as Record<string, string>).toString()}` : ''}${
    c.body !== undefined ? ` ${JSON.stringify(c.body)}` : ''
  }`;

/** Guard-level 403 codes: decided before any record is loaded, so they reveal nothing about it. */
export const GUARD_CODES = [
  'feature_disabled',
  'role_expired',
  'feature_denied',
  'tenancy_denied',
] as const;

export const codeOf = (a: Answer): unknown => (a.body as { code?: unknown } | null)?.code;

/** The exact 404 body of API.md: these four keys and nothing else. */
export function isExactNotFound(a: Answer): boolean {
  const body = a.body as Record<string, unknown> | null;
  if (a.status !== 404 || !body || typeof body !== 'object') return false;
  return (
    Object.keys(body).sort().join(',') === 'code,error,message,statusCode' &&
    body.code === 'not_found' &&
    body.statusCode === 404 &&
    body.error === 'Not Found'
  );
}

export function leakedSecrets(a: Answer, secrets: readonly string[]): string[] {
  const text = a.text.toLowerCase();
  return secrets.filter((s) => s && text.includes(s.toLowerCase()));
}

/** Reads before changes, deletes last: a case never removes the target of a later one. */
export function byMethodOrder(routes: readonly SweepRoute[]): SweepRoute[] {
  const rank = (m: string): number => ({ GET: 0, POST: 1, PUT: 1, PATCH: 2, DELETE: 3 })[m] ?? 1;
  return [...routes].sort((a, b) => rank(a.method) - rank(b.method) || a.key.localeCompare(b.key));
}

/** Tables whose rows no attack may change (checked before and after a sweep). */
export const GUARDED_TABLES = [
  'users',
  'user_profiles',
  'tenants',
  'clinics',
  'tenant_members',
  'clinic_members',
  'seat_grants',
  'patients',
  'treatment_sessions',
  'vitals',
  'doses',
  'subjective_logs',
  'adverse_events',
  'interventions',
  'assessments',
  'protocols',
  'check_ins',
  'check_in_shares',
  'feature_flags',
] as const;

/** Every row's md5, per table: a changed or deleted row is missing from a later snapshot. */
export async function rowHashes(ds: DataSource): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const table of GUARDED_TABLES) {
    const rows = await ds.query<{ h: string }[]>(`SELECT md5(t::text) AS h FROM ${table} t`);
    out.set(table, new Set(rows.map((r) => r.h)));
  }
  return out;
}

/** Rows of `before` changed or deleted in `after`, counted per table (new rows are allowed). */
export function changedRows(
  before: Map<string, Set<string>>,
  after: Map<string, Set<string>>,
): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [table, hashes] of before) {
    const now = after.get(table) ?? new Set<string>();
    const lost = [...hashes].filter((h) => !now.has(h)).length;
    if (lost) changed[table] = lost;
  }
  return changed;
}

export function report(line: string): void {
  process.stdout.write(`${line}\n`);
}
