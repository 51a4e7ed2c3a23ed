import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clinical records, check-ins, seats, audit log and feature flags.
 *
 * Scope columns: every row under a patient repeats the patient's `tenant_id` so that its
 * indexes lead with it and a distributed deployment (Citus, by tenant) keeps a patient's
 * records together. Solo practitioners have no tenant: their rows carry `tenant_id` NULL
 * and are reached through `owner_id`.
 *
 * Test data (PRODUCT.md §2.3): `is_test` ⇔ `subject_id LIKE 'TEST-%'`, and a test patient
 * never belongs to a clinic, so it can never enter a clinic's shared data.
 */
export class CreateClinicalSchema1795400004000 implements MigrationInterface {
  name = 'CreateClinicalSchema1795400004000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patients (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        clinic_id UUID,
        owner_id UUID NOT NULL REFERENCES users (id),
        subject_id TEXT NOT NULL,
        is_test BOOLEAN NOT NULL DEFAULT FALSE,
        initials TEXT CHECK (initials ~ '^[A-Z]{1,4}$'),
        substance TEXT,
        medications TEXT[] NOT NULL DEFAULT '{}',
        phase TEXT NOT NULL DEFAULT 'intake'
          CHECK (phase IN ('intake', 'preparation', 'treatment', 'integration', 'completed')),
        archived_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CONSTRAINT patients_subject_id_format CHECK (subject_id ~ '^(TEST-)?[A-Z0-9]{10}$'),
        CONSTRAINT patients_test_iff_prefix CHECK (is_test = (subject_id LIKE 'TEST-%')),
        CONSTRAINT patients_test_has_no_clinic CHECK (NOT is_test OR clinic_id IS NULL),
        CONSTRAINT patients_clinic_needs_tenant CHECK (clinic_id IS NULL OR tenant_id IS NOT NULL),
        FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id) ON DELETE SET NULL (clinic_id)
      )`);
    // Subject ids are unique platform-wide (they are the only identifier in exports).
    await q.query(`CREATE UNIQUE INDEX patients_subject_id_key ON patients (subject_id)`);
    await q.query(
      `CREATE INDEX patients_tenant_created_idx ON patients (tenant_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX patients_tenant_clinic_created_idx ON patients (tenant_id, clinic_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX patients_tenant_owner_created_idx ON patients (tenant_id, owner_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX patients_owner_created_idx ON patients (owner_id, created_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE patient_phase_transitions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        from_phase TEXT NOT NULL,
        to_phase TEXT NOT NULL,
        actor_id UUID NOT NULL REFERENCES users (id),
        at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX patient_phase_transitions_tenant_patient_idx ON patient_phase_transitions (tenant_id, patient_id, at)`,
    );

    await q.query(`
      CREATE TABLE treatment_sessions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        substance TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        ended_at TIMESTAMPTZ,
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    await q.query(
      `CREATE INDEX treatment_sessions_tenant_patient_idx ON treatment_sessions (tenant_id, patient_id, started_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX treatment_sessions_tenant_active_idx ON treatment_sessions (tenant_id, started_at DESC, id DESC) WHERE ended_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX treatment_sessions_patient_idx ON treatment_sessions (patient_id, started_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE vitals (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        recorded_at TIMESTAMPTZ NOT NULL,
        heart_rate INTEGER CHECK (heart_rate BETWEEN 1 AND 350),
        systolic INTEGER CHECK (systolic BETWEEN 1 AND 350),
        diastolic INTEGER CHECK (diastolic BETWEEN 1 AND 300),
        spo2 INTEGER CHECK (spo2 BETWEEN 0 AND 100),
        temperature_c NUMERIC(4, 1) CHECK (temperature_c BETWEEN 20 AND 46),
        qt_ms INTEGER CHECK (qt_ms BETWEEN 100 AND 1000),
        qtc_bazett_ms NUMERIC(6, 1),
        qtc_fridericia_ms NUMERIC(6, 1),
        alerts JSONB NOT NULL DEFAULT '[]',
        note TEXT,
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX vitals_tenant_session_recorded_idx ON vitals (tenant_id, session_id, recorded_at, id)`,
    );
    await q.query(
      `CREATE INDEX vitals_session_recorded_idx ON vitals (session_id, recorded_at, id)`,
    );

    await q.query(`
      CREATE TABLE doses (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        mg NUMERIC(10, 3) NOT NULL CHECK (mg > 0),
        at TIMESTAMPTZ NOT NULL,
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX doses_tenant_session_idx ON doses (tenant_id, session_id, at)`);

    await q.query(`
      CREATE TABLE subjective_logs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        at TIMESTAMPTZ NOT NULL,
        kind TEXT NOT NULL,
        intensity INTEGER NOT NULL CHECK (intensity BETWEEN 0 AND 10),
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX subjective_logs_tenant_session_idx ON subjective_logs (tenant_id, session_id, at)`,
    );

    await q.query(`
      CREATE TABLE adverse_events (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        occurred_at TIMESTAMPTZ NOT NULL,
        description TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'life_threatening')),
        resolved_at TIMESTAMPTZ,
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX adverse_events_tenant_session_idx ON adverse_events (tenant_id, session_id, occurred_at)`,
    );

    await q.query(`
      CREATE TABLE interventions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        adverse_event_id UUID NOT NULL REFERENCES adverse_events (id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        at TIMESTAMPTZ NOT NULL,
        action TEXT NOT NULL,
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX interventions_tenant_event_idx ON interventions (tenant_id, adverse_event_id, at)`,
    );

    await q.query(`
      CREATE TABLE assessments (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        patient_id UUID NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        instrument TEXT NOT NULL CHECK (instrument IN ('PHQ9', 'GAD7', 'CSSRS', 'MEQ30')),
        answers SMALLINT[] NOT NULL,
        score NUMERIC(6, 2) NOT NULL,
        severity TEXT NOT NULL,
        subscales JSONB,
        complete BOOLEAN,
        administered_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        created_by UUID NOT NULL REFERENCES users (id),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX assessments_tenant_patient_idx ON assessments (tenant_id, patient_id, administered_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX assessments_patient_idx ON assessments (patient_id, administered_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE protocols (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        owner_id UUID NOT NULL REFERENCES users (id),
        is_test BOOLEAN NOT NULL DEFAULT FALSE,
        name TEXT NOT NULL,
        substance TEXT NOT NULL,
        planned_mg_per_kg NUMERIC(8, 3),
        ceiling_mg_per_kg NUMERIC(8, 3),
        boosters JSONB NOT NULL DEFAULT '[]',
        notes TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX protocols_tenant_created_idx ON protocols (tenant_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX protocols_owner_created_idx ON protocols (owner_id, created_at DESC, id DESC)`,
    );

    // Reference data, not tenant-scoped (listed in src/database/table-registry.ts).
    await q.query(`
      CREATE TABLE contraindications (
        id SERIAL PRIMARY KEY,
        substance TEXT NOT NULL,
        agent TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('contraindicated', 'major', 'moderate', 'minor')),
        note TEXT NOT NULL,
        source TEXT NOT NULL,
        UNIQUE (substance, agent)
      )`);
    await q.query(`
      CREATE TABLE drug_synonyms (
        name TEXT PRIMARY KEY CHECK (name = lower(name)),
        canonical TEXT NOT NULL
      )`);
    await q.query(`
      CREATE TABLE benchmark_cohorts (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        cohort TEXT NOT NULL,
        substance TEXT NOT NULL,
        indication TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n > 0),
        instrument TEXT NOT NULL,
        baseline_mean NUMERIC(8, 3) NOT NULL,
        followup_mean NUMERIC(8, 3) NOT NULL,
        followup_weeks NUMERIC(6, 1) NOT NULL CHECK (followup_weeks >= 0),
        source_citation TEXT NOT NULL,
        licence TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        UNIQUE (cohort, substance, indication, instrument)
      )`);

    await q.query(`
      CREATE TABLE check_ins (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        author_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        mood SMALLINT NOT NULL CHECK (mood BETWEEN 1 AND 10),
        note TEXT CHECK (length(note) <= 2000),
        is_private BOOLEAN NOT NULL DEFAULT TRUE,
        check_in_date DATE NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC')::date,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE INDEX check_ins_tenant_created_idx ON check_ins (tenant_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX check_ins_author_created_idx ON check_ins (author_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX check_ins_author_date_idx ON check_ins (author_id, check_in_date)`);
    await q.query(`
      CREATE TABLE check_in_shares (
        tenant_id UUID NOT NULL,
        check_in_id UUID NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
        clinic_id UUID NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (tenant_id, check_in_id, clinic_id),
        FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX check_in_shares_tenant_clinic_idx ON check_in_shares (tenant_id, clinic_id, check_in_id)`,
    );

    await q.query(`
      CREATE TABLE seat_grants (
        tenant_id UUID NOT NULL,
        user_id UUID NOT NULL,
        previous_role_id INTEGER NOT NULL REFERENCES ref_user_roles (id),
        previous_role_expires_at TIMESTAMPTZ,
        granted_by UUID REFERENCES users (id) ON DELETE SET NULL,
        granted_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (tenant_id, user_id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_members (tenant_id, user_id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE audit_log (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE SET NULL,
        actor_id UUID REFERENCES users (id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        subject_type TEXT NOT NULL,
        subject_id TEXT,
        request_id TEXT,
        details JSONB NOT NULL DEFAULT '{}',
        created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX audit_log_tenant_created_idx ON audit_log (tenant_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX audit_log_actor_created_idx ON audit_log (actor_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE feature_flags (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id UUID REFERENCES tenants (id) ON DELETE CASCADE,
        feature TEXT NOT NULL CHECK (feature <> 'admin_panel'),
        enabled BOOLEAN NOT NULL,
        updated_by UUID REFERENCES users (id) ON DELETE SET NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX feature_flags_tenant_feature_key ON feature_flags (tenant_id, feature) WHERE tenant_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX feature_flags_platform_feature_key ON feature_flags (feature) WHERE tenant_id IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'feature_flags',
      'audit_log',
      'seat_grants',
      'check_in_shares',
      'check_ins',
      'benchmark_cohorts',
      'drug_synonyms',
      'contraindications',
      'protocols',
      'assessments',
      'interventions',
      'adverse_events',
      'subjective_logs',
      'doses',
      'vitals',
      'treatment_sessions',
      'patient_phase_transitions',
      'patients',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
