import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import type { AppAbility } from '../ability.factory';
import { accessibleCondition, toPositional } from './rules-to-sql';
import { SUBJECT_SQL } from './subject-maps';

function abilityOf(define: (b: AbilityBuilder<AppAbility>) => void): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  define(builder);
  return builder.build();
}
const cond = (a: AppAbility) => accessibleCondition(a, 'read', 'Patient', SUBJECT_SQL.Patient, 'p');

describe('accessibleCondition (SQL text)', () => {
  it('no rule → FALSE (default deny)', () => {
    expect(cond(abilityOf(() => undefined)).sql).toBe('FALSE');
  });

  it('an unconditional rule → TRUE', () => {
    expect(cond(abilityOf((b) => b.can('read', 'Patient'))).sql).toBe('TRUE');
  });

  it('OR of rule conditions, AND within one', () => {
    const a = abilityOf((b) => {
      b.can('read', 'Patient', { ownerId: 'u1', isTest: false } as never);
      b.can('read', 'Patient', { tenantId: 't1', clinicId: { $in: ['c1', 'c2'] } } as never);
    });
    const c = cond(a);
    expect(c.sql).toMatch(
      /^\(\(p\.tenant_id = :\w+ AND p\.clinic_id = ANY\(:\w+\)\) OR \(p\.owner_id = :\w+ AND p\.is_test = :\w+\)\)$/,
    );
    expect(Object.values(c.params)).toEqual(
      expect.arrayContaining(['t1', ['c1', 'c2'], 'u1', false]),
    );
  });

  it('an inverted rule with conditions adds AND NOT', () => {
    const a = abilityOf((b) => {
      b.can('read', 'Patient');
      b.cannot('read', 'Patient', { isTest: true } as never);
    });
    expect(cond(a).sql).toMatch(/^NOT \(p\.is_test = :\w+\)$/);
  });

  it('an unconditional inverted rule denies everything', () => {
    const a = abilityOf((b) => {
      b.can('read', 'Patient', { ownerId: 'u1' } as never);
      b.cannot('read', 'Patient');
    });
    expect(cond(a).sql).toBe('FALSE');
  });

  it('empty $in matches nothing; null is IS NULL', () => {
    const a = abilityOf((b) =>
      b.can('read', 'Patient', { clinicId: { $in: [] }, tenantId: null } as never),
    );
    expect(cond(a).sql).toBe('((FALSE AND p.tenant_id IS NULL))');
  });

  it('refuses unknown fields and operators instead of widening the filter', () => {
    expect(() => cond(abilityOf((b) => b.can('read', 'Patient', { secret: 1 } as never)))).toThrow(
      /No column mapped/,
    );
    expect(() =>
      cond(abilityOf((b) => b.can('read', 'Patient', { ownerId: { $regex: 'x' } } as never))),
    ).toThrow(/Unsupported condition operator/);
  });

  it('toPositional numbers each named parameter once', () => {
    const out = toPositional({ sql: 'a = :x AND b = :y OR c = :x', params: { x: 1, y: 2 } }, 1);
    expect(out).toEqual({ sql: 'a = $2 AND b = $3 OR c = $2', values: [1, 2] });
  });
});
