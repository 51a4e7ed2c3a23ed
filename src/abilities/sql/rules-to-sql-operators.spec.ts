import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import type { AppAbility } from '../ability.factory';
import type { SubjectType } from '../subjects';
import { accessibleCondition, disableAppFiltersForTests, toPositional } from './rules-to-sql';
import { SUBJECT_SQL } from './subject-maps';

/**
 * Every operator, combinator and relation of the rules → SQL translator, as exact SQL text
 * (parameter names normalised to :0, :1, …). Fail-closed paths throw. Complements
 * rules-to-sql.spec.ts; the same rules run against a real database in abilities-sql.e2e-spec.ts.
 */
function sqlOf(
  conditions: Record<string, unknown>,
  type: SubjectType = 'Patient',
  alias = 'p',
): { sql: string; params: unknown[] } {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  builder.can('read', type, conditions as never);
  const c = accessibleCondition(
    builder.build(),
    'read',
    type,
    SUBJECT_SQL[type as keyof typeof SUBJECT_SQL],
    alias,
  );
  const names = Object.keys(c.params);
  let sql = c.sql;
  names.forEach((name, i) => (sql = sql.split(`:${name}`).join(`:${i}`)));
  return { sql, params: names.map((n) => c.params[n]) };
}

describe('rules → SQL: operators', () => {
  it.each([
    [{ ownerId: { $eq: 'u' } }, '((p.owner_id = :0))', ['u']],
    [{ clinicId: { $eq: null } }, '((p.clinic_id IS NULL))', []],
    [{ clinicId: { $ne: null } }, '((p.clinic_id IS NOT NULL))', []],
    [{ ownerId: { $ne: 'u' } }, '((p.owner_id IS DISTINCT FROM :0))', ['u']],
    [{ clinicId: { $in: ['a', 'b'] } }, '((p.clinic_id = ANY(:0)))', [['a', 'b']]],
    [{ clinicId: { $nin: ['a'] } }, '((NOT (p.clinic_id = ANY(:0))))', [['a']]],
    [{ clinicId: { $in: [] } }, '((FALSE))', []],
    [{ clinicId: { $nin: [] } }, '((TRUE))', []],
    [{ id: { $lt: 5 } }, '((p.id < :0))', [5]],
    [{ id: { $lte: 5 } }, '((p.id <= :0))', [5]],
    [{ id: { $gt: 5 } }, '((p.id > :0))', [5]],
    [{ id: { $gte: 5, $lt: 9 } }, '((p.id >= :0 AND p.id < :1))', [5, 9]],
    [{ clinicId: null }, '((p.clinic_id IS NULL))', []],
  ])('%j → %s', (conditions, sql, params) => {
    expect(sqlOf(conditions)).toEqual({ sql, params });
  });

  it('$and, $or and $nor nest', () => {
    expect(sqlOf({ $or: [{ ownerId: 'a' }, { tenantId: 't' }] }).sql).toBe(
      '((((p.owner_id = :0) OR (p.tenant_id = :1))))',
    );
    expect(sqlOf({ $and: [{ ownerId: 'a' }, { isTest: false }] }).sql).toBe(
      '(((p.owner_id = :0) AND (p.is_test = :1)))',
    );
    expect(sqlOf({ $nor: [{ ownerId: 'a' }, { isTest: true }] }).sql).toBe(
      '((NOT ((p.owner_id = :0) OR (p.is_test = :1))))',
    );
  });

  it('relation fields become one correlated EXISTS per relation', () => {
    const { sql, params } = sqlOf(
      { 'patient.ownerId': 'u', 'patient.isTest': false, tenantId: 't' },
      'TreatmentSession',
      's',
    );
    expect(sql).toBe(
      '((s.tenant_id = :0 AND EXISTS (SELECT 1 FROM patients s_patient_0 WHERE s_patient_0.id = s.patient_id AND s_patient_0.owner_id = :1 AND s_patient_0.is_test = :2)))',
    );
    expect(params).toEqual(['t', 'u', false]);
  });

  it('fails closed on what it cannot translate', () => {
    expect(() => sqlOf({ $or: [] })).toThrow('Unsupported $or condition');
    expect(() => sqlOf({ ownerId: ['a', 'b'] })).toThrow(
      'Array equality is not supported for p.owner_id',
    );
    expect(() => sqlOf({ ownerId: {} })).toThrow('Empty condition for p.owner_id');
    expect(() => sqlOf({ ownerId: { $regex: 'x' } })).toThrow(
      'Unsupported condition operator $regex on p.owner_id',
    );
    expect(() => sqlOf({ clinicId: { $in: 'a' } })).toThrow('$in needs an array');
    expect(() => sqlOf({ 'patient.nope': 1 }, 'TreatmentSession', 's')).toThrow(
      'No column mapped for patients.nope',
    );
  });

  it('a relation-less dotted field is refused like any unknown field', () => {
    expect(() => sqlOf({ 'owner.id': 'u' })).toThrow();
  });

  it('toPositional leaves unknown :names alone and honours an offset', () => {
    expect(
      toPositional(
        { sql: 'a = :x AND b = :y AND c = :x AND d::text = :other', params: { x: 1, y: 2 } },
        2,
      ),
    ).toEqual({
      sql: 'a = $3 AND b = $4 AND c = $3 AND d::text = :other',
      values: [1, 2],
    });
  });

  it('app filters can be switched off only under NODE_ENV=test', () => {
    const env = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      expect(() => disableAppFiltersForTests(true)).toThrow(
        'App filters can only be disabled under NODE_ENV=test',
      );
      expect(() => disableAppFiltersForTests(false)).not.toThrow();
      process.env.NODE_ENV = 'test';
      disableAppFiltersForTests(true);
      expect(sqlOf({ ownerId: 'u' }).sql).toBe('TRUE');
    } finally {
      disableAppFiltersForTests(false);
      process.env.NODE_ENV = env;
    }
    expect(sqlOf({ ownerId: 'u' }).sql).toBe('((p.owner_id = :0))');
  });
});
