import { Layout, PARTNER_TIER_SET, type PatientSpec, type UserSpec } from '../data/layout';
import { accessToken, type BenchKeys } from './tokens';

export const CALLER_KINDS = ['clinic member', 'tenant admin', 'partner'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export interface BenchCaller {
  readonly kind: CallerKind | 'platform admin';
  readonly user: UserSpec;
  readonly token: string;
  /** Live (non-archived) patients in this caller's scope: targets of GET /patients/:id. */
  readonly patientIds: readonly string[];
}

function inScope(layout: Layout, user: UserSpec, p: PatientSpec): boolean {
  if (p.archived) return false;
  if (user.platformAdmin) return !p.isTest;
  if (p.owner === user.index) return p.isTest === PARTNER_TIER_SET.has(user.tier);
  if (p.isTest || user.tenant === null || p.tenant !== user.tenant) return false;
  if (user.tenantRole === 'OWNER' || user.tenantRole === 'ADMIN') return true;
  return user.clinic !== null && p.clinic === user.clinic.index;
}

/** The benchmark callers of a dataset, with fresh tokens and up to `maxIds` patients each. */
export function benchCallers(
  patients: number,
  keys: BenchKeys,
  maxIds = 200,
): Record<CallerKind | 'platform admin', BenchCaller> {
  const layout = new Layout(patients);
  const slots = layout.callers();
  const make = (kind: CallerKind | 'platform admin', index: number): BenchCaller => {
    const user = layout.user(index);
    const ids: string[] = [];
    for (let i = 0; i < patients && ids.length < maxIds; i++) {
      const p = layout.patient(i);
      if (inScope(layout, user, p)) ids.push(p.id);
    }
    return { kind, user, token: accessToken(keys, user.id, index), patientIds: ids };
  };
  return {
    'clinic member': make('clinic member', slots.clinicMember),
    'tenant admin': make('tenant admin', slots.tenantAdmin),
    partner: make('partner', slots.partner),
    'platform admin': make('platform admin', slots.platformAdmin),
  };
}
