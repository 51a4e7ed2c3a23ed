import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClinicRole, TenantRole } from '../../src/abilities/tenancy-roles';

/**
 * Clinical test data, inserted directly as the owner role (no HTTP, no RLS): fast enough to
 * build thousands of rows per test. Tenancy helpers here are minimal SQL inserts so these
 * suites do not depend on the tenancy routes.
 */

function randomSubjectId(isTest: boolean): string {
  const id = randomBytes(8).toString('hex').toUpperCase().slice(0, 10);
  return isTest ? `TEST-${id}` : id;
}

export async function insertTenant(
  ds: DataSource,
  name = `Tenant ${randomBytes(3).toString('hex')}`,
): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO tenants (name) VALUES ($1) RETURNING id`,
    [name],
  );
  return rows[0].id;
}

export async function insertClinic(
  ds: DataSource,
  tenantId: string,
  name = `Clinic ${randomBytes(3).toString('hex')}`,
): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO clinics (tenant_id, name) VALUES ($1, $2) RETURNING id`,
    [tenantId, name],
  );
  return rows[0].id;
}

export async function insertTenantMember(
  ds: DataSource,
  tenantId: string,
  userId: string,
  role: TenantRole = 'MEMBER',
): Promise<void> {
  await ds.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
    tenantId,
    userId,
    role,
  ]);
}

export async function insertClinicMember(
  ds: DataSource,
  tenantId: string,
  clinicId: string,
  userId: string,
  role: ClinicRole = 'MEMBER',
): Promise<void> {
  await ds.query(
    `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, $4)`,
    [tenantId, clinicId, userId, role],
  );
}

export interface PatientOptions {
  readonly ownerId: string;
  readonly tenantId?: string | null;
  readonly clinicId?: string | null;
  readonly isTest?: boolean;
  readonly substance?: string | null;
  readonly medications?: readonly string[];
  readonly phase?: string;
  readonly archived?: boolean;
}

export interface TestPatient {
  readonly id: string;
  readonly subjectId: string;
}

export async function createPatient(ds: DataSource, options: PatientOptions): Promise<TestPatient> {
  const isTest = options.isTest ?? false;
  const rows: { id: string; subject_id: string }[] = await ds.query(
    `INSERT INTO patients (tenant_id, clinic_id, owner_id, subject_id, is_test, substance, medications, phase, archived_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9 THEN now() END)
     RETURNING id, subject_id`,
    [
      options.tenantId ?? null,
      options.clinicId ?? null,
      options.ownerId,
      randomSubjectId(isTest),
      isTest,
      options.substance ?? null,
      options.medications ?? [],
      options.phase ?? 'intake',
      options.archived === true,
    ],
  );
  return { id: rows[0].id, subjectId: rows[0].subject_id };
}

/** `count` patients in one INSERT … SELECT generate_series (distinct created_at, newest last). */
export async function createPatients(
  ds: DataSource,
  count: number,
  options: PatientOptions,
): Promise<string[]> {
  const isTest = options.isTest ?? false;
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO patients (tenant_id, clinic_id, owner_id, subject_id, is_test, substance, created_at)
     SELECT $1, $2, $3, CASE WHEN $4 THEN 'TEST-' ELSE '' END || upper(substr(md5(random()::text || g::text), 1, 10)), $4, $5,
            now() - make_interval(secs => $6 - g)
     FROM generate_series(1, $6) AS g
     RETURNING id`,
    [
      options.tenantId ?? null,
      options.clinicId ?? null,
      options.ownerId,
      isTest,
      options.substance ?? null,
      count,
    ],
  );
  return rows.map((r) => r.id);
}

export interface SessionOptions {
  readonly substance?: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date | null;
  readonly createdBy?: string;
}

/** A session under a patient; tenant_id copied from the patient, creator = patient owner by default. */
export async function createSession(
  ds: DataSource,
  patientId: string,
  options: SessionOptions = {},
): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO treatment_sessions (tenant_id, patient_id, substance, started_at, ended_at, created_by)
     SELECT tenant_id, id, $2, $3, $4, COALESCE($5, owner_id) FROM patients WHERE id = $1
     RETURNING id`,
    [
      patientId,
      options.substance ?? 'ibogaine',
      options.startedAt ?? new Date(Date.now() - 3_600_000),
      options.endedAt ?? null,
      options.createdBy ?? null,
    ],
  );
  return rows[0].id;
}

/** One active session per given patient, in one statement. */
export async function createSessionsFor(
  ds: DataSource,
  patientIds: readonly string[],
  substance = 'ibogaine',
): Promise<void> {
  await ds.query(
    `INSERT INTO treatment_sessions (tenant_id, patient_id, substance, started_at, created_by, created_at)
     SELECT p.tenant_id, p.id, $2, now() - interval '1 hour', p.owner_id, p.created_at
     FROM patients p WHERE p.id = ANY($1::uuid[])`,
    [patientIds, substance],
  );
}

/**
 * `count` vitals rows under a session in one INSERT … SELECT generate_series: one reading a
 * minute, QT 400–460 at HR 60–90 with a plausible stored QTc.
 */
export async function createVitals(
  ds: DataSource,
  sessionId: string,
  count: number,
): Promise<void> {
  await ds.query(
    `INSERT INTO vitals (tenant_id, session_id, patient_id, recorded_at, heart_rate, systolic, diastolic, spo2, temperature_c,
                         qt_ms, qtc_bazett_ms, qtc_fridericia_ms, alerts, note, created_by)
     SELECT s.tenant_id, s.id, s.patient_id, s.started_at + make_interval(mins => g), 60 + g % 30, 110 + g % 20, 70 + g % 10,
            95 + g % 5, 36.5, 400 + g % 60,
            round(((400 + g % 60) / sqrt(60.0 / (60 + g % 30)))::numeric, 1),
            round(((400 + g % 60) / cbrt(60.0 / (60 + g % 30)))::numeric, 1),
            '[]'::jsonb, 'seeded reading, with a "quote", a comma', s.created_by
     FROM treatment_sessions s, generate_series(1, $2) AS g
     WHERE s.id = $1`,
    [sessionId, count],
  );
}

export async function createAssessment(
  ds: DataSource,
  patientId: string,
  instrument: 'PHQ9' | 'GAD7' | 'CSSRS' | 'MEQ30',
  answers: readonly number[],
  score: number,
  severity: string,
  administeredAt: Date,
): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO assessments (tenant_id, patient_id, instrument, answers, score, severity, administered_at, created_by)
     SELECT tenant_id, id, $2, $3, $4, $5, $6, owner_id FROM patients WHERE id = $1
     RETURNING id`,
    [patientId, instrument, answers, score, severity, administeredAt],
  );
  return rows[0].id;
}
