import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES, isFeature } from './features';
import { isLevel, LEVELS } from './levels';
import { isPlatformRole, PLATFORM_ADMIN } from './platform-roles';
import { isTenantAdminRole, TENANT_ADMIN_ROLES } from './tenancy-roles';
import { ENTERPRISE_SEAT_TIER, isTier, LEGACY_TIER_IDS, TIER_DESCRIPTIONS, TIERS } from './tiers';

/** The typed vocabularies of src/abilities: guards, fixed ids, and tier texts equal to the migrations'. */
describe('abilities vocabulary', () => {
  it.each([
    ['isTier', isTier, TIERS[0], 'root'],
    ['isLevel', isLevel, LEVELS[0], 'admin'],
    ['isFeature', isFeature, FEATURES[0], 'everything'],
    ['isPlatformRole', isPlatformRole, PLATFORM_ADMIN, 'ADMIN'],
  ] as const)('%s accepts its values and nothing else', (_name, guard, good, bad) => {
    expect(guard(good)).toBe(true);
    expect(guard(bad)).toBe(false);
    expect(guard('')).toBe(false);
    expect(guard(undefined)).toBe(false);
    expect(guard(null)).toBe(false);
    expect(guard(1)).toBe(false);
    expect(guard([good])).toBe(false);
  });

  it('fixed names: PLATFORM_ADMIN, the seat tier, tenant admin roles, legacy ids 1–3 (seed 000)', () => {
    expect(PLATFORM_ADMIN).toBe('PLATFORM_ADMIN');
    expect(ENTERPRISE_SEAT_TIER).toBe('user_enterprise');
    expect(TENANT_ADMIN_ROLES).toEqual(['OWNER', 'ADMIN']);
    expect(
      ['OWNER', 'ADMIN', 'MEMBER', null, undefined].map((r) => isTenantAdminRole(r as never)),
    ).toEqual([true, true, false, false, false]);
    expect(LEGACY_TIER_IDS).toEqual({ admin: 1, partner: 2, user: 3 });
  });

  it('every tier description is the one its migration writes to ref_user_roles', () => {
    const migrations = ['1795400000000-CreateRefUserRoles.ts', '1795400002000-ExpandUserRoles.ts']
      .map((f) => readFileSync(join(__dirname, '../../migrations', f), 'utf8'))
      .join('\n');
    expect(Object.keys(TIER_DESCRIPTIONS).sort()).toEqual([...TIERS].sort());
    for (const tier of TIERS) {
      expect(migrations).toMatch(
        new RegExp(
          `'${tier}',\\s*'${TIER_DESCRIPTIONS[tier].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`,
        ),
      );
    }
  });
});
