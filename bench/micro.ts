import { subject } from '@casl/ability';
import { buildAbility, type AbilityInput } from '../src/abilities/ability.factory';
import { AbilityService } from '../src/abilities/ability.service';
import { featureDenial } from '../src/abilities/denials';
import type { FeatureFlagsService } from '../src/abilities/feature-flags.service';
import type { Feature } from '../src/abilities/features';
import { accessibleCondition, toPositional } from '../src/abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../src/abilities/sql/subject-maps';
import type { Principal } from '../src/auth/principal';

export interface MicroResult {
  readonly name: string;
  readonly group: 'build (uncached)' | 'per request (cached)' | 'check' | 'rules → SQL';
  /** Mean and median time per call, microseconds. */
  readonly meanUs: number;
  readonly p50Us: number;
  readonly samples: number;
}

const T = '0198a000-0000-7000-8000-000000000001';
const C1 = '0198b000-0000-7000-8000-000000000001';
const C2 = '0198b000-0000-7000-8000-000000000002';
let seq = 0;
function principal(over: Partial<Principal>): Principal {
  seq++;
  return {
    id: `0198c000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    email: `micro${seq}@bench.test`,
    displayName: null,
    platformRole: null,
    tier: 'user_enterprise',
    tierExpiresAt: null,
    tenant: null,
    clinics: [],
    tokenVersion: 0,
    sessionId: '0198d000-0000-7000-8000-000000000001',
    tokenId: 'jti',
    ...over,
  };
}

/** The caller kinds of PRODUCT.md §2.3, as the ability factory sees them. */
export function microCallers(): Record<string, Principal> {
  return {
    'clinic member': principal({
      tenant: { id: T, role: 'MEMBER' },
      clinics: [{ id: C1, role: 'MEMBER' }],
    }),
    'clinic admin (2 clinics)': principal({
      tenant: { id: T, role: 'MEMBER' },
      clinics: [
        { id: C1, role: 'ADMIN' },
        { id: C2, role: 'ADMIN' },
      ],
    }),
    'tenant admin': principal({ tenant: { id: T, role: 'ADMIN' } }),
    partner: principal({ tier: 'partner_paid', tenant: { id: T, role: 'MEMBER' } }),
    'solo basic (user_free)': principal({ tier: 'user_free' }),
    'platform admin': principal({ tier: 'admin', platformRole: 'PLATFORM_ADMIN' }),
  };
}

const NO_FLAGS: ReadonlySet<Feature> = new Set();
const flagsStub = {
  disabledFor: async () => NO_FLAGS,
  version: 0,
} as unknown as FeatureFlagsService;

export async function runMicro(quick: boolean): Promise<MicroResult[]> {
  // tinybench is ESM-only: loaded with import() from this CommonJS module.
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: quick ? 80 : 400, warmupTime: quick ? 20 : 100 });
  const groups = new Map<string, MicroResult['group']>();
  const add = (group: MicroResult['group'], name: string, fn: () => unknown): void => {
    groups.set(name, group);
    bench.add(name, fn);
  };
  const service = new AbilityService(flagsStub);
  for (const [kind, p] of Object.entries(microCallers())) {
    const input: AbilityInput = { principal: p, disabledFeatures: NO_FLAGS, now: new Date() };
    add('build (uncached)', `buildAbility — ${kind}`, () => buildAbility(input));
    add('build (uncached)', `build + feature check + can() — ${kind}`, () => {
      const ability = buildAbility({ ...input, now: new Date() });
      return featureDenial(input, 'wellness_journey', 'read') ?? ability.can('read', 'Patient');
    });
    await service.forPrincipal(p);
    // What the AbilityGuard does on every request once the caller's ability is cached.
    add(
      'per request (cached)',
      `forPrincipal (cache hit) + feature check + can() — ${kind}`,
      async () => {
        const { ability, input: cachedInput } = await service.forPrincipal(p);
        return (
          featureDenial(cachedInput, 'wellness_journey', 'read') ?? ability.can('read', 'Patient')
        );
      },
    );
    const ability = buildAbility(input);
    add('rules → SQL', `accessibleCondition + toPositional (Patient) — ${kind}`, () =>
      toPositional(accessibleCondition(ability, 'read', 'Patient', SUBJECT_SQL.Patient, 'p')),
    );
  }
  const member = microCallers()['clinic member'];
  const memberAbility = buildAbility({
    principal: member,
    disabledFeatures: NO_FLAGS,
    now: new Date(),
  });
  const record = { id: C2, ownerId: member.id, tenantId: T, clinicId: C1, isTest: false };
  add('check', `can('read', 'Patient') — clinic member`, () =>
    memberAbility.can('read', 'Patient'),
  );
  add('check', `can('update', subject('Patient', record)) — clinic member`, () =>
    memberAbility.can('update', subject('Patient', { ...record })),
  );
  add('check', `cannot: can('delete', 'Tenant') — clinic member`, () =>
    memberAbility.can('delete', 'Tenant'),
  );

  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result as {
      latency?: { mean: number; p50: number; samplesCount?: number };
      totalTime?: number;
      runtime?: string;
    };
    const latency = result.latency;
    return {
      name: task.name,
      group: groups.get(task.name) ?? 'check',
      meanUs: latency ? latency.mean * 1000 : NaN,
      p50Us: latency ? latency.p50 * 1000 : NaN,
      samples: latency?.samplesCount ?? task.runs,
    };
  });
}

if (require.main === module) {
  void runMicro(process.argv.includes('--quick')).then((results) => {
    for (const r of results)
      console.log(
        `${r.meanUs.toFixed(2).padStart(9)} µs mean ${r.p50Us.toFixed(2).padStart(9)} µs p50  ${r.name}`,
      );
  });
}
