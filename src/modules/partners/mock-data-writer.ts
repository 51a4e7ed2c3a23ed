import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { MockDataset, MockPatientKey } from './mock-data';

const SUBJECT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A test patient's subject id: `TEST-` + 10 upper-case alphanumerics from the CSPRNG. Ids are
 * identifiers, not dataset values: they stay random (never derived from the partner id), so
 * they reveal nothing and cannot collide with a re-provisioned partner's old rows.
 */
export function testSubjectId(): string {
  let id = 'TEST-';
  for (let i = 0; i < 10; i++) id += SUBJECT_ALPHABET[randomInt(SUBJECT_ALPHABET.length)];
  return id;
}

/** Multi-row INSERT: one round trip per table instead of one per row. */
async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value) => {
      values.push(value);
      return `$${values.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
    values,
  );
}

export interface WrittenMockPatient {
  readonly key: MockPatientKey;
  readonly id: string;
  readonly subjectId: string;
  readonly substance: string;
  readonly phase: string;
}

/** Live placement, for demo data only: without it every row is a test row. */
export interface LivePlacement {
  readonly tenantId: string | null;
  readonly clinicId: string | null;
}

/** A live patient's subject id: 10 upper-case alphanumerics, no prefix. */
function liveSubjectId(): string {
  return testSubjectId().slice('TEST-'.length);
}

/**
 * Writes a partner's mock dataset as test rows owned by the partner: `is_test = true`,
 * `TEST-` subject ids, no tenant and no clinic (a test patient never enters shared data),
 * created by the partner. Plain SQL on the caller's manager, so it commits (or rolls back)
 * with the provisioning transaction. `live` (demo seeding only) writes the same shapes as
 * live rows of a tenant/clinic instead.
 */
export async function writeMockDataset(
  manager: EntityManager,
  ownerId: string,
  dataset: MockDataset,
  live?: LivePlacement,
): Promise<WrittenMockPatient[]> {
  const tenantId = live?.tenantId ?? null;
  const patients: unknown[][] = [];
  const transitions: unknown[][] = [];
  const sessions: unknown[][] = [];
  const vitals: unknown[][] = [];
  const doses: unknown[][] = [];
  const logs: unknown[][] = [];
  const events: unknown[][] = [];
  const interventions: unknown[][] = [];
  const assessments: unknown[][] = [];
  const written: WrittenMockPatient[] = [];

  for (const p of dataset.patients) {
    const patientId = randomUUID();
    const subjectId = live ? liveSubjectId() : testSubjectId();
    written.push({ key: p.key, id: patientId, subjectId, substance: p.substance, phase: p.phase });
    const last = p.transitions[p.transitions.length - 1];
    const updatedAt = last ? last.at : p.createdAt;
    const clinicId = live?.clinicId ?? null;
    const isTest = !live;
    patients.push([
      patientId,
      tenantId,
      clinicId,
      ownerId,
      subjectId,
      isTest,
      p.initials,
      p.substance,
      [...p.medications],
      p.phase,
      p.createdAt,
      updatedAt,
    ]);
    for (const t of p.transitions) {
      transitions.push([randomUUID(), tenantId, patientId, t.from, t.to, ownerId, t.at]);
    }
    for (const s of p.sessions) {
      const sessionId = randomUUID();
      sessions.push([
        sessionId,
        tenantId,
        patientId,
        s.substance,
        s.startedAt,
        s.endedAt,
        ownerId,
        s.startedAt,
      ]);
      for (const v of s.vitals) {
        vitals.push([
          randomUUID(),
          tenantId,
          sessionId,
          patientId,
          v.recordedAt,
          v.heartRate,
          v.systolic,
          v.diastolic,
          v.spo2,
          v.temperatureC,
          v.qtMs,
          v.qtcBazettMs,
          v.qtcFridericiaMs,
          JSON.stringify(v.alerts),
          v.note,
          ownerId,
          v.recordedAt,
        ]);
      }
      for (const d of s.doses) {
        doses.push([randomUUID(), tenantId, sessionId, patientId, d.mg, d.at, ownerId, d.at]);
      }
      for (const l of s.subjectiveLogs) {
        logs.push([
          randomUUID(),
          tenantId,
          sessionId,
          patientId,
          l.at,
          l.kind,
          l.intensity,
          ownerId,
          l.at,
        ]);
      }
      for (const e of s.adverseEvents) {
        const eventId = randomUUID();
        events.push([
          eventId,
          tenantId,
          sessionId,
          patientId,
          e.occurredAt,
          e.description,
          e.severity,
          e.resolvedAt,
          ownerId,
          e.occurredAt,
        ]);
        for (const i of e.interventions) {
          interventions.push([
            randomUUID(),
            tenantId,
            eventId,
            sessionId,
            patientId,
            i.at,
            i.action,
            ownerId,
            i.at,
          ]);
        }
      }
    }
    for (const a of p.assessments) {
      assessments.push([
        randomUUID(),
        tenantId,
        patientId,
        a.instrument,
        [...a.answers],
        a.score,
        a.severity,
        a.subscales === null ? null : JSON.stringify(a.subscales),
        a.complete,
        a.administeredAt,
        ownerId,
        a.administeredAt,
      ]);
    }
  }

  // Parents first (foreign keys). Test rows: tenant_id and clinic_id NULL.
  await insertRows(
    manager,
    'patients',
    [
      'id',
      'tenant_id',
      'clinic_id',
      'owner_id',
      'subject_id',
      'is_test',
      'initials',
      'substance',
      'medications',
      'phase',
      'created_at',
      'updated_at',
    ],
    patients,
  );
  await insertRows(
    manager,
    'patient_phase_transitions',
    ['id', 'tenant_id', 'patient_id', 'from_phase', 'to_phase', 'actor_id', 'at'],
    transitions,
  );
  await insertRows(
    manager,
    'treatment_sessions',
    [
      'id',
      'tenant_id',
      'patient_id',
      'substance',
      'started_at',
      'ended_at',
      'created_by',
      'created_at',
    ],
    sessions,
  );
  await insertRows(
    manager,
    'vitals',
    [
      'id',
      'tenant_id',
      'session_id',
      'patient_id',
      'recorded_at',
      'heart_rate',
      'systolic',
      'diastolic',
      'spo2',
      'temperature_c',
      'qt_ms',
      'qtc_bazett_ms',
      'qtc_fridericia_ms',
      'alerts',
      'note',
      'created_by',
      'created_at',
    ],
    vitals,
  );
  await insertRows(
    manager,
    'doses',
    ['id', 'tenant_id', 'session_id', 'patient_id', 'mg', 'at', 'created_by', 'created_at'],
    doses,
  );
  await insertRows(
    manager,
    'subjective_logs',
    [
      'id',
      'tenant_id',
      'session_id',
      'patient_id',
      'at',
      'kind',
      'intensity',
      'created_by',
      'created_at',
    ],
    logs,
  );
  await insertRows(
    manager,
    'adverse_events',
    [
      'id',
      'tenant_id',
      'session_id',
      'patient_id',
      'occurred_at',
      'description',
      'severity',
      'resolved_at',
      'created_by',
      'created_at',
    ],
    events,
  );
  await insertRows(
    manager,
    'interventions',
    [
      'id',
      'tenant_id',
      'adverse_event_id',
      'session_id',
      'patient_id',
      'at',
      'action',
      'created_by',
      'created_at',
    ],
    interventions,
  );
  await insertRows(
    manager,
    'assessments',
    [
      'id',
      'tenant_id',
      'patient_id',
      'instrument',
      'answers',
      'score',
      'severity',
      'subscales',
      'complete',
      'administered_at',
      'created_by',
      'created_at',
    ],
    assessments,
  );
  return written;
}
