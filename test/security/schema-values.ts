import { randomBytes } from 'node:crypto';
import type { JsonSchema, SweepRoute } from './route-inventory';
import type { Bundle, RecordKind } from './world';

/**
 * Valid request values derived from a route's OpenAPI schema: `example`, then `enum`, then
 * the type's bounds; uuid fields name records of a bundle by their field name. Semantics the
 * schema cannot carry (PHQ-9 needs 9 answers, a member role of MEMBER) are the only per-route
 * overrides below; a new route whose schema alone yields a valid body needs none.
 */

/** Which record a uuid field or path parameter names, by its name (and the path for `:id`). */
export function kindOfField(name: string, path = ''): RecordKind | null {
  if (name === 'id') {
    const segments = path.split('/').filter(Boolean);
    const resource = segments[segments.indexOf(':id') - 1];
    const byResource: Record<string, RecordKind> = {
      patients: 'patient',
      sessions: 'session',
      protocols: 'protocol',
      'check-ins': 'checkIn',
      tenants: 'tenant',
      clinics: 'clinic',
      users: 'user',
    };
    return (resource && byResource[resource]) || null;
  }
  const byName: Record<string, RecordKind> = {
    patientId: 'patient',
    sessionId: 'session',
    eventId: 'event',
    protocolId: 'protocol',
    checkInId: 'checkIn',
    tenantId: 'tenant',
    clinicId: 'clinic',
    userId: 'user',
    actorId: 'user',
    partnerId: 'user',
  };
  return byName[name] ?? null;
}

/** A well-formed uuid that names no row. */
export const NO_RECORD = '00000000-0000-4000-8000-0000000000ff';

export const uniqueEmail = (): string => `sweep-${randomBytes(5).toString('hex')}@example.test`;

/** A valid value for one schema; `name` picks references and emails. */
export function validValue(schema: JsonSchema, name: string, refs: Bundle): unknown {
  if (schema.format === 'uuid') {
    // A caller with no such record (no clinic) still sends a well-formed id.
    const kind = kindOfField(name);
    return (kind && refs[kind]) ?? NO_RECORD;
  }
  if (/email/i.test(name)) return uniqueEmail();
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.format === 'date-time') return new Date().toISOString();
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array': {
      const n = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: n }, () => validValue(schema.items ?? {}, name, refs));
    }
    case 'object':
      return schema.properties ? validObject(schema, refs) : 'x';
    default:
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

/** Required properties; for a body with none (a PATCH), its first property with an example. */
export function validObject(schema: JsonSchema, refs: Bundle): Record<string, unknown> {
  const props = schema.properties ?? {};
  let names = schema.required ?? [];
  if (!names.length) {
    const first =
      Object.keys(props).find((k) => props[k]?.example !== undefined) ?? Object.keys(props)[0];
    names = first ? [first] : [];
  }
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = validValue(props[name] ?? {}, name, refs);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const BODY_OVERRIDES: Readonly<Record<string, (refs: Bundle) => Record<string, unknown>>> = {
  'POST /assessments': (refs) => ({
    patientId: refs.patient,
    instrument: 'PHQ9',
    answers: [1, 1, 1, 1, 1, 1, 1, 1, 1],
  }),
  'POST /tenants/:id/members': () => ({ email: uniqueEmail(), role: 'MEMBER' }),
  'PATCH /tenants/:id/members/:userId': () => ({ role: 'MEMBER' }),
  'POST /clinics/:id/members': (refs) => ({ userId: refs.user, role: 'MEMBER' }),
  'PATCH /clinics/:id/members/:userId': () => ({ role: 'MEMBER' }),
  'POST /patients/:id/phase': () => ({ phase: 'preparation' }),
  'POST /admin/users': () => ({ email: uniqueEmail(), displayName: 'Sweep', tier: 'user_pro' }),
  'POST /admin/partners': () => ({
    email: uniqueEmail(),
    displayName: 'Sweep',
    tier: 'partner_paid',
  }),
  'PATCH /admin/users/:id': () => ({ disabled: false }),
  'PATCH /tenants/:id': () => ({ name: 'Renamed by sweep' }),
  'PATCH /check-ins/:id': () => ({ mood: 5 }),
};

/** Non-record path parameters (e.g. `:feature`). */
export const PARAM_VALUES: Readonly<Record<string, string>> = { feature: 'analytics' };

export function validBody(route: SweepRoute, refs: Bundle): Record<string, unknown> | undefined {
  if (!route.body) return undefined;
  const override = BODY_OVERRIDES[route.key];
  return override ? override(refs) : validObject(route.body, refs);
}
