import { DataSource } from 'typeorm';
import { buildAbility, type AppAbility } from '../../src/abilities/ability.factory';
import type { Feature } from '../../src/abilities/features';
import {
  accessibleBranches,
  accessibleCondition,
  toPositional,
} from '../../src/abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../src/abilities/sql/subject-maps';
import type { ClinicRole, TenantRole } from '../../src/abilities/tenancy-roles';
import type { Tier } from '../../src/abilities/tiers';
import type { Principal } from '../../src/auth/principal';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { seedScopeWorld, W } from '../fixtures/scope-world';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';
import { Client } from 'pg';

/**
 * The rules → SQL builder, asserted on rows a real PostgreSQL returns (as the owner role,
 * so RLS does not help: the filter alone must be right).
 */
describe('rules → SQL filters on a real database (e2e)', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const owner = new Client({ connectionString: database.url });
    await owner.connect();
    await seedScopeWorld(owner);
    await owner.end();
    ds = new DataSource(buildDataSourceOptions({ url: database.url, poolMax: 2 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await database.drop();
  });

  function principal(over: {
    id: string;
    tier?: Tier;
    platformAdmin?: boolean;
    tenant?: { id: string; role: TenantRole } | null;
    clinics?: { id: string; role: ClinicRole }[];
  }): Principal {
    return {
      id: over.id,
      email: 'x@y.z',
      displayName: null,
      platformRole: over.platformAdmin ? 'PLATFORM_ADMIN' : null,
      tier: over.tier ?? 'user_pro',
      tierExpiresAt: null,
      tenant: over.tenant ?? null,
      clinics: over.clinics ?? [],
      tokenVersion: 0,
      sessionId: 's',
      tokenId: 'j',
    };
  }
  const ability = (p: Principal, disabled: Feature[] = []): AppAbility =>
    buildAbility({ principal: p, disabledFeatures: new Set(disabled), now: new Date() });

  async function patients(a: AppAbility): Promise<string[]> {
    const { sql, values } = toPositional(
      accessibleCondition(a, 'read', 'Patient', SUBJECT_SQL.Patient, 'p'),
    );
    const rows: { subject_id: string }[] = await ds.query(
      `SELECT p.subject_id FROM patients p WHERE ${sql} ORDER BY 1`,
      values,
    );
    const subjectIds = rows.map((r) => r.subject_id);
    // The per-rule branches lists use (a UNION of one page per rule) cover exactly these rows.
    const branches = accessibleBranches(a, 'read', 'Patient', SUBJECT_SQL.Patient, 'p');
    const union = new Set<string>();
    for (const branch of branches) {
      const positional = toPositional(branch);
      const matched: { subject_id: string }[] = await ds.query(
        `SELECT p.subject_id FROM patients p WHERE ${positional.sql}`,
        positional.values,
      );
      for (const r of matched) union.add(r.subject_id);
    }
    expect([...union].sort()).toEqual(subjectIds);
    return subjectIds;
  }

  const member = principal({
    id: W.member,
    tenant: { id: W.t1, role: 'MEMBER' },
    clinics: [{ id: W.c1, role: 'MEMBER' }],
  });

  it('own only (basic level: user_free)', async () => {
    const basic = principal({
      id: W.member,
      tier: 'user_free',
      tenant: { id: W.t1, role: 'MEMBER' },
      clinics: [{ id: W.c1, role: 'MEMBER' }],
    });
    expect(await patients(ability(basic))).toEqual(['MEMBEROWN1']);
  });

  it('own + clinic (clinic member on a full tier)', async () => {
    expect(await patients(ability(member))).toEqual(['CLINIC1ROW', 'MEMBEROWN1']);
    // One branch per rule: its clinics, its own rows.
    expect(
      accessibleBranches(ability(member), 'read', 'Patient', SUBJECT_SQL.Patient, 'p'),
    ).toHaveLength(2);
  });

  it('whole tenant, live rows only (tenant OWNER)', async () => {
    const owner = principal({ id: W.tenantOwner, tenant: { id: W.t1, role: 'OWNER' } });
    expect(await patients(ability(owner))).toEqual(['CLINIC1ROW', 'CLINIC2ROW', 'MEMBEROWN1']);
  });

  it('all (PLATFORM_ADMIN): the condition is TRUE', async () => {
    const admin = ability(principal({ id: W.admin, tier: 'admin', platformAdmin: true }));
    expect(accessibleCondition(admin, 'read', 'Patient', SUBJECT_SQL.Patient, 'p').sql).toBe(
      'TRUE',
    );
    expect(await patients(admin)).toHaveLength(6);
  });

  it('partner overlay: only its own test rows, even as a member of clinic C1', async () => {
    const partner = principal({
      id: W.partner,
      tier: 'partner_free',
      tenant: { id: W.t1, role: 'MEMBER' },
      clinics: [{ id: W.c1, role: 'MEMBER' }],
    });
    expect(await patients(ability(partner))).toEqual(['TEST-PARTNER001']);
  });

  it('no rule (feature switched off, or tier none) → FALSE, no rows', async () => {
    const off = ability(member, ['wellness_journey']);
    expect(accessibleCondition(off, 'read', 'Patient', SUBJECT_SQL.Patient, 'p').sql).toBe('FALSE');
    expect(accessibleBranches(off, 'read', 'Patient', SUBJECT_SQL.Patient, 'p')).toEqual([]);
    expect(await patients(off)).toEqual([]);
  });

  it('joined condition: vitals through their session patient (D12), via EXISTS on patients', async () => {
    const condition = accessibleCondition(
      ability(member),
      'read',
      'TreatmentSession',
      SUBJECT_SQL.TreatmentSession,
      's',
    );
    expect(condition.sql).toContain('EXISTS (SELECT 1 FROM patients');
    const { sql, values } = toPositional(condition);
    const rows: { subject_id: string }[] = await ds.query(
      `SELECT p.subject_id FROM vitals v JOIN treatment_sessions s ON s.id = v.session_id JOIN patients p ON p.id = s.patient_id WHERE ${sql} ORDER BY 1`,
      values,
    );
    expect(rows.map((r) => r.subject_id)).toEqual(['CLINIC1ROW', 'MEMBEROWN1']);
  });

  it('to-many relation: check-ins shared with my clinics (EXISTS on check_in_shares)', async () => {
    const c1Colleague = principal({
      id: W.partner,
      tier: 'user_pro',
      tenant: { id: W.t1, role: 'MEMBER' },
      clinics: [{ id: W.c1, role: 'MEMBER' }],
    });
    const { sql, values } = toPositional(
      accessibleCondition(ability(c1Colleague), 'read', 'CheckIn', SUBJECT_SQL.CheckIn, 'c'),
    );
    const rows: { note: string }[] = await ds.query(
      `SELECT c.note FROM check_ins c WHERE ${sql} ORDER BY 1`,
      values,
    );
    expect(rows.map((r) => r.note)).toEqual(['shared-c1']);
  });

  it('works through a TypeORM query builder with named parameters', async () => {
    const condition = accessibleCondition(
      ability(member),
      'read',
      'Patient',
      SUBJECT_SQL.Patient,
      'p',
    );
    const rows = await ds
      .createQueryBuilder()
      .select('p.subject_id', 'subject_id')
      .from('patients', 'p')
      .where(`(${condition.sql})`, condition.params)
      .orderBy('p.subject_id')
      .getRawMany<{ subject_id: string }>();
    expect(rows.map((r) => r.subject_id)).toEqual(['CLINIC1ROW', 'MEMBEROWN1']);
  });
});
