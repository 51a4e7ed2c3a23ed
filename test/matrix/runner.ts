/**
 * Builds the authorization-matrix world, turns (caller, route, relation) triples into HTTP
 * requests and compares each answer with the oracle. Used by
 * test/e2e/authorization-matrix.e2e-spec.ts.
 */
import {
  checkInRecord,
  clinicalRecord,
  expectedOutcome,
  formatOutcome,
  isApplicable,
  matches,
  type Outcome,
  tenancyTarget,
} from './oracle';
import type { Relation, RouteSpec } from './routes';
import {
  type Caller,
  CALLER_KINDS,
  type ClinicRef,
  PARTNER_TIERS,
  PLACEMENT,
  TIERS,
  TIME_BOXED_TIERS,
  type TenantRef,
} from './spec-tables';
import {
  type HttpAnswer,
  type PatientRow,
  pool,
  type Positions,
  uniqueEmail,
  uniqueName,
  type WorldBuilder,
} from './world';

// ---------------------------------------------------------------------------------------------
// Callers

/** The 77 callers of the issue (11 tiers × 7 kinds) plus an expired time-boxed tier per non-platform kind. */
export function allCallers(): Caller[] {
  const callers: Caller[] = [];
  for (const tier of TIERS) for (const kind of CALLER_KINDS) callers.push({ kind, tier });
  for (const tier of TIME_BOXED_TIERS) {
    for (const kind of CALLER_KINDS)
      if (kind !== 'PLATFORM_ADMIN') callers.push({ kind, tier, expired: true });
  }
  return callers;
}

export function callerLabel(caller: Caller | null): string {
  return caller ? `${caller.kind}/${caller.tier}${caller.expired ? '(expired)' : ''}` : 'anonymous';
}

interface OwnRecords {
  patients: Partial<Record<Relation, PatientRow>>;
  protocols: Partial<Record<Relation, string>>;
  checkIns: Partial<Record<Relation, string>>;
}

interface CallerCtx {
  readonly caller: Caller;
  readonly userId: string;
  readonly token: string;
  readonly positions: Positions;
  readonly own: OwnRecords;
}

/** Whose records an anonymous case names (its answer must be 401 whatever the record). */
const REFERENCE_CALLER: Caller = { kind: 'CLINIC_MEMBER', tier: 'user_pro' };

type PeerName = 'pC1a' | 'pC1b' | 'pT1' | 'pT2' | 'pSolo' | 'partnerT1';

/** Who owns/authored the record of an "other" relation. */
const PEER_OF: Partial<Record<Relation, PeerName>> = {
  sameClinic: 'pC1a',
  otherClinic: 'pC1b',
  sameTenant: 'pT1',
  otherTenant: 'pT2',
  solo: 'pSolo',
  otherTest: 'partnerT1',
  sameClinicShared: 'pC1a',
  sameClinicPrivate: 'pC1a',
  sameClinicPublic: 'pC1a',
  otherClinicShared: 'pC1b',
  sameTenantPublic: 'pT1',
  otherTenantShared: 'pT2',
  soloPublic: 'pSolo',
};

export interface Mismatch {
  readonly caller: string;
  readonly route: string;
  readonly relation: Relation;
  readonly request: string;
  readonly expected: string;
  readonly actual: string;
}

interface Actual {
  readonly status: number;
  readonly code?: string;
  readonly listed?: boolean;
}

export interface RunStats {
  cases: number;
  mismatches: Mismatch[];
  /** Cases answered by an alternative reading (see oracle READING notes). */
  alternativeHits: Mismatch[];
  perRoute: Map<string, { cases: number; mismatches: number }>;
  /** Summed wall time per route (fresh targets and request), to see where the time goes. */
  timeByRoute: Map<string, number>;
  /** How many cases got each answer (shows the matrix is not all 401s or all 200s). */
  answers: Map<string, number>;
}

interface Req {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
  /** Strings whose presence in the (full) list body means the relation's record is listed. */
  readonly needle?: string;
}

const AT = '2026-01-10T10:00:00.000Z';
const LATER = '2026-01-10T12:00:00.000Z';

export class Matrix {
  readonly ctxs = new Map<string, CallerCtx>();
  private positions!: Positions;
  private peers!: Record<PeerName, string>;
  private shared: OwnRecords = { patients: {}, protocols: {}, checkIns: {} };
  private throwawayPartner = '';
  private flagTenant = '';
  private listCache = new Map<string, Promise<{ status: number; code?: string; text: string }>>();
  readonly stats: RunStats = {
    cases: 0,
    mismatches: [],
    alternativeHits: [],
    perRoute: new Map(),
    timeByRoute: new Map(),
    answers: new Map(),
  };

  constructor(private readonly b: WorldBuilder) {}

  // -------------------------------------------------------------------------------------------
  // World

  async build(callers: readonly Caller[]): Promise<void> {
    const b = this.b;
    const [t1, t2] = await Promise.all([b.tenant(), b.tenant()]);
    const [c1a, c1b, c2a] = await Promise.all([b.clinic(t1), b.clinic(t1), b.clinic(t2)]);
    this.positions = { tenants: { T1: t1, T2: t2 }, clinics: { C1a: c1a, C1b: c1b, C2a: c2a } };
    this.flagTenant = await b.tenant();
    this.peers = {
      pC1a: await b.user({
        tier: 'user_pro',
        tenant: { id: t1, role: 'MEMBER' },
        clinics: [{ id: c1a, role: 'MEMBER' }],
      }),
      pC1b: await b.user({
        tier: 'user_pro',
        tenant: { id: t1, role: 'MEMBER' },
        clinics: [{ id: c1b, role: 'MEMBER' }],
      }),
      pT1: await b.user({ tier: 'user_pro', tenant: { id: t1, role: 'MEMBER' } }),
      pT2: await b.user({
        tier: 'user_pro',
        tenant: { id: t2, role: 'MEMBER' },
        clinics: [{ id: c2a, role: 'MEMBER' }],
      }),
      pSolo: await b.user({ tier: 'user_pro' }),
      partnerT1: await b.user({ tier: 'partner_free', tenant: { id: t1, role: 'MEMBER' } }),
    };
    this.throwawayPartner = await b.user({ tier: 'partner_free' });
    await b.patient({
      ownerId: this.throwawayPartner,
      tenantId: null,
      clinicId: null,
      isTest: true,
    });

    // Shared records of the "other" relations; the reference caller only picks positions.
    const ref: Caller = { kind: 'TENANT_MEMBER', tier: 'user_pro' };
    for (const rel of [
      'sameClinic',
      'otherClinic',
      'sameTenant',
      'otherTenant',
      'solo',
      'otherTest',
    ] as const) {
      this.shared.patients[rel] = await this.freshPatient(ref, rel, this.positions, '');
    }
    for (const rel of ['sameTenant', 'otherTenant', 'otherTest'] as const) {
      this.shared.protocols[rel] = await this.freshProtocol(ref, rel, this.positions, '');
    }
    for (const rel of [
      'sameClinicShared',
      'sameClinicPrivate',
      'sameClinicPublic',
      'otherClinicShared',
      'sameTenantPublic',
      'otherTenantShared',
      'soloPublic',
    ] as const) {
      this.shared.checkIns[rel] = await this.freshCheckIn(ref, rel, this.positions, '');
    }

    await pool(callers, 8, async (caller) => {
      const ctx = await this.newCaller(caller, this.positions);
      this.ctxs.set(callerLabel(caller), ctx);
    });
  }

  private async newCaller(caller: Caller, positions: Positions): Promise<CallerCtx> {
    const place = PLACEMENT[caller.kind];
    const userId = await this.b.user({
      tier: caller.tier,
      expired: caller.expired,
      platformAdmin: place.platformAdmin,
      tenant: place.tenant
        ? { id: positions.tenants[place.tenant.ref], role: place.tenant.role }
        : null,
      clinics: place.clinics.map((c) => ({ id: positions.clinics[c.ref], role: c.role })),
    });
    const own: OwnRecords = { patients: {}, protocols: {}, checkIns: {} };
    own.patients.own = await this.freshPatient(caller, 'own', positions, userId);
    own.protocols.own = await this.freshProtocol(caller, 'own', positions, userId);
    if (PARTNER_TIERS.includes(caller.tier)) {
      own.patients.ownTest = await this.freshPatient(caller, 'ownTest', positions, userId);
      own.protocols.ownTest = await this.freshProtocol(caller, 'ownTest', positions, userId);
    }
    for (const rel of ['ownPrivate', 'ownPublic', 'own'] as const) {
      if (checkInRecord(caller, rel))
        own.checkIns[rel] = await this.freshCheckIn(caller, rel, positions, userId);
    }
    const token = await this.b.login(userId);
    return { caller, userId, token, positions, own };
  }

  private tenantOf(ref: TenantRef | null, positions: Positions): string | null {
    return ref ? positions.tenants[ref] : null;
  }
  private clinicOf(ref: ClinicRef | null, positions: Positions): string | null {
    return ref ? positions.clinics[ref] : null;
  }
  private ownerOf(relation: Relation, selfId: string, isSelf: boolean): string {
    if (isSelf) return selfId;
    const peer = PEER_OF[relation];
    if (!peer) throw new Error(`no peer for ${relation}`);
    return this.peers[peer];
  }

  private async freshPatient(
    caller: Caller,
    relation: Relation,
    positions: Positions,
    selfId: string,
  ): Promise<PatientRow> {
    const rec = clinicalRecord(caller, relation);
    if (!rec) throw new Error(`no patient for ${relation}`);
    return this.b.patient({
      ownerId: this.ownerOf(relation, selfId, rec.owner === 'self'),
      tenantId: this.tenantOf(rec.tenant, positions),
      clinicId: this.clinicOf(rec.clinic, positions),
      isTest: rec.isTest,
    });
  }

  private async freshProtocol(
    caller: Caller,
    relation: Relation,
    positions: Positions,
    selfId: string,
  ): Promise<string> {
    const rec = clinicalRecord(caller, relation);
    if (!rec) throw new Error(`no protocol for ${relation}`);
    return this.b.protocol({
      ownerId: this.ownerOf(relation, selfId, rec.owner === 'self'),
      tenantId: this.tenantOf(rec.tenant, positions),
      isTest: rec.isTest,
    });
  }

  private async freshCheckIn(
    caller: Caller,
    relation: Relation,
    positions: Positions,
    selfId: string,
  ): Promise<string> {
    const rec = checkInRecord(caller, relation);
    if (!rec) throw new Error(`no check-in for ${relation}`);
    return this.b.checkIn({
      authorId: this.ownerOf(relation, selfId, rec.author === 'self'),
      tenantId: this.tenantOf(rec.tenant, positions),
      isPrivate: rec.isPrivate,
      sharedWith: rec.sharedWith.map((c) => ({
        tenantId: positions.tenants[c === 'C2a' ? 'T2' : 'T1'],
        clinicId: positions.clinics[c],
      })),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  private async patientFor(
    ctx: CallerCtx,
    relation: Relation,
    fresh: boolean,
  ): Promise<PatientRow> {
    if (fresh) return this.freshPatient(ctx.caller, relation, ctx.positions, ctx.userId);
    const found = ctx.own.patients[relation] ?? this.shared.patients[relation];
    if (!found) throw new Error(`no patient for ${relation}`);
    return found;
  }
  private async protocolFor(ctx: CallerCtx, relation: Relation, fresh: boolean): Promise<string> {
    if (fresh) return this.freshProtocol(ctx.caller, relation, ctx.positions, ctx.userId);
    const found = ctx.own.protocols[relation] ?? this.shared.protocols[relation];
    if (!found) throw new Error(`no protocol for ${relation}`);
    return found;
  }
  private async checkInFor(ctx: CallerCtx, relation: Relation, fresh: boolean): Promise<string> {
    if (fresh) return this.freshCheckIn(ctx.caller, relation, ctx.positions, ctx.userId);
    const found = ctx.own.checkIns[relation] ?? this.shared.checkIns[relation];
    if (!found) throw new Error(`no check-in for ${relation}`);
    return found;
  }

  /** A fresh user at a tenancy position (a member of the tenant, maybe of a clinic). */
  private async memberAt(tenant: string, clinic: string | null, seat = false): Promise<string> {
    const id = await this.b.user({
      tier: 'user_pro',
      tenant: { id: tenant, role: 'MEMBER' },
      clinics: clinic ? [{ id: clinic, role: 'MEMBER' }] : [],
    });
    if (seat) await this.b.seat(tenant, id, 'user_pro');
    return id;
  }

  private peerUser(relation: Relation, ctx: CallerCtx): string {
    return relation === 'self' ? ctx.userId : this.ownerOf(relation, ctx.userId, false);
  }

  private async freshUserAt(relation: Relation, ctx: CallerCtx): Promise<string> {
    const p = ctx.positions;
    switch (relation) {
      case 'sameClinic':
        return this.memberAt(p.tenants.T1, p.clinics.C1a);
      case 'otherClinic':
        return this.memberAt(p.tenants.T1, p.clinics.C1b);
      case 'sameTenant':
        return this.memberAt(p.tenants.T1, null);
      case 'otherTenant':
        return this.memberAt(p.tenants.T2, p.clinics.C2a);
      case 'solo':
        return this.b.user({ tier: 'user_pro' });
      default:
        throw new Error(`no fresh user for ${relation}`);
    }
  }

  private async request(
    ctx: CallerCtx,
    route: RouteSpec,
    relation: Relation,
    fresh: boolean,
  ): Promise<Req> {
    const p = ctx.positions;
    const invalid = relation === 'invalidBody' ? { unexpectedField: true } : {};
    const key = route.key;
    const withQuery = (url: string, patientId?: string): string =>
      route.query ? `${url}?${route.query.replace(':patientId', patientId ?? '')}` : url;
    const patient = (): Promise<PatientRow> => this.patientFor(ctx, relation, fresh);
    const tenancy = tenancyTarget(ctx.caller, route, relation);

    // Tenancy -----------------------------------------------------------------------------------
    if (route.rule.kind === 'tenancy') {
      const tenantId = tenancy ? p.tenants[tenancy.tenant] : '';
      const clinicId = tenancy?.clinic ? p.clinics[tenancy.clinic] : '';
      switch (key) {
        case 'GET /tenants':
          return { method: 'GET', url: '/tenants', needle: tenantId };
        case 'POST /tenants':
          return {
            method: 'POST',
            url: '/tenants',
            body: { name: uniqueName('Matrix new tenant'), ...invalid },
          };
        case 'GET /tenants/:id':
        case 'GET /tenants/:id/members':
        case 'GET /tenants/:id/clinics':
          return { method: 'GET', url: route.path.replace(':id', tenantId) };
        case 'PATCH /tenants/:id [name]':
          return {
            method: 'PATCH',
            url: `/tenants/${tenantId}`,
            body: { name: uniqueName('Matrix renamed') },
          };
        case 'PATCH /tenants/:id [seatLimit]':
          return { method: 'PATCH', url: `/tenants/${tenantId}`, body: { seatLimit: 100_000 } };
        case 'DELETE /tenants/:id': {
          // A tenant of its own for every deletion (clone worlds bring their own home tenant).
          const target = relation === 'otherTenant' ? await this.b.tenant() : tenantId;
          return { method: 'DELETE', url: `/tenants/${target}` };
        }
        case 'POST /tenants/:id/members [MEMBER]':
        case 'POST /tenants/:id/members [ADMIN]':
          return {
            method: 'POST',
            url: `/tenants/${tenantId}/members`,
            body: {
              email: uniqueEmail('invitee'),
              role: key.endsWith('[ADMIN]') ? 'ADMIN' : 'MEMBER',
            },
          };
        case 'PATCH /tenants/:id/members/:userId':
        case 'DELETE /tenants/:id/members/:userId':
        case 'PUT /tenants/:id/seats/:userId':
        case 'DELETE /tenants/:id/seats/:userId': {
          const seat = key === 'DELETE /tenants/:id/seats/:userId';
          let userId: string;
          if (tenancy?.self) {
            userId = ctx.userId;
            // Only a real (fresh, own-caller) case may grant the caller a seat beforehand.
            if (seat && fresh) await this.b.seat(tenantId, userId, ctx.caller.tier);
          } else {
            userId = await this.memberAt(tenantId, null, seat);
          }
          const url = route.path.replace(':id', tenantId).replace(':userId', userId);
          return {
            method: route.method,
            url,
            body: route.method === 'PATCH' ? { role: 'ADMIN' } : undefined,
          };
        }
        case 'POST /tenants/:id/clinics':
          return {
            method: 'POST',
            url: `/tenants/${tenantId}/clinics`,
            body: { name: uniqueName('Matrix clinic') },
          };
        case 'GET /clinics/:id':
        case 'GET /clinics/:id/members':
          return { method: 'GET', url: route.path.replace(':id', clinicId) };
        case 'PATCH /clinics/:id':
          return {
            method: 'PATCH',
            url: `/clinics/${clinicId}`,
            body: { name: uniqueName('Matrix clinic renamed') },
          };
        case 'DELETE /clinics/:id': {
          // Home clinic: a clone world's; otherwise a fresh clinic at the same position.
          const target = relation === 'homeClinic' ? clinicId : await this.b.clinic(tenantId);
          return { method: 'DELETE', url: `/clinics/${target}` };
        }
        case 'POST /clinics/:id/members [MEMBER]':
        case 'POST /clinics/:id/members [ADMIN]': {
          const userId = await this.memberAt(tenantId, null);
          return {
            method: 'POST',
            url: `/clinics/${clinicId}/members`,
            body: { userId, role: key.endsWith('[ADMIN]') ? 'ADMIN' : 'MEMBER' },
          };
        }
        case 'PATCH /clinics/:id/members/:userId':
        case 'DELETE /clinics/:id/members/:userId': {
          const userId = tenancy?.self ? ctx.userId : await this.memberAt(tenantId, clinicId);
          const url = route.path.replace(':id', clinicId).replace(':userId', userId);
          return {
            method: route.method,
            url,
            body: route.method === 'PATCH' ? { role: 'ADMIN' } : undefined,
          };
        }
        default:
          throw new Error(`no request builder for ${key}`);
      }
    }

    // Check-ins ---------------------------------------------------------------------------------
    if (route.rule.kind === 'checkin') {
      switch (route.rule.op) {
        case 'create':
          return {
            method: 'POST',
            url: '/check-ins',
            body: { mood: 5, isPrivate: true, ...invalid },
          };
        case 'streak':
          return { method: 'GET', url: '/check-ins/streak' };
        case 'listOwn':
        case 'listClinic':
        case 'listTenant': {
          const id = await this.checkInFor(ctx, relation, false);
          return { method: 'GET', url: withQuery('/check-ins'), needle: id };
        }
        case 'get':
          return {
            method: 'GET',
            url: `/check-ins/${await this.checkInFor(ctx, relation, false)}`,
          };
        case 'update':
          return {
            method: 'PATCH',
            url: `/check-ins/${await this.checkInFor(ctx, relation, false)}`,
            body: { mood: 7 },
          };
        case 'delete':
          return {
            method: 'DELETE',
            url: `/check-ins/${await this.checkInFor(ctx, relation, true)}`,
          };
        case 'share':
          return {
            method: 'POST',
            url: `/check-ins/${await this.checkInFor(ctx, relation, true)}/shares`,
            body: { clinicId: p.clinics.C1a },
          };
        case 'unshare': {
          const rec = checkInRecord(ctx.caller, relation);
          const clinic = rec?.sharedWith[0] ?? 'C1a';
          return {
            method: 'DELETE',
            url: `/check-ins/${await this.checkInFor(ctx, relation, true)}/shares/${p.clinics[clinic]}`,
          };
        }
      }
    }

    // Admin panel ---------------------------------------------------------------------------------
    if (route.rule.kind === 'admin') {
      switch (key) {
        case 'GET /admin/users':
        case 'GET /admin/audit-log':
        case 'GET /admin/feature-flags':
          return { method: 'GET', url: route.path };
        case 'GET /admin/users/:id':
          return { method: 'GET', url: `/admin/users/${this.peerUser(relation, ctx)}` };
        case 'POST /admin/users':
          return {
            method: 'POST',
            url: '/admin/users',
            body: {
              email: uniqueEmail('admin-created'),
              displayName: 'Matrix created',
              tier: 'user_pro',
              password: 'correct horse battery staple',
              ...invalid,
            },
          };
        case 'PATCH /admin/users/:id':
          return {
            method: 'PATCH',
            url: `/admin/users/${await this.freshUserAt(relation, ctx)}`,
            body: { tier: 'user_premium' },
          };
        case 'POST /admin/partners':
          return {
            method: 'POST',
            url: '/admin/partners',
            body: {
              email: uniqueEmail('partner'),
              displayName: 'Matrix partner',
              tier: 'partner_free',
            },
          };
        case 'POST /admin/test-data/scrub':
          return {
            method: 'POST',
            url: '/admin/test-data/scrub',
            body: { partnerId: this.throwawayPartner },
          };
        case 'PUT /admin/feature-flags/:feature':
          return {
            method: 'PUT',
            url: '/admin/feature-flags/benchmark_intel',
            body: { enabled: false, tenantId: this.flagTenant },
          };
        default:
          throw new Error(`no request builder for ${key}`);
      }
    }

    if (route.rule.kind === 'authenticated') return { method: route.method, url: route.path };

    // Clinical features -------------------------------------------------------------------------
    switch (key) {
      case 'POST /patients':
        return { method: 'POST', url: '/patients', body: { initials: 'AB', ...invalid } };
      case 'GET /patients':
      case 'GET /patients?includeTest=true':
      case 'GET /dashboard':
      case 'GET /dashboard?includeTest=true': {
        const pt = await this.patientFor(ctx, relation, false);
        return { method: 'GET', url: withQuery(route.path), needle: pt.id };
      }
      case 'GET /exports/patients.csv':
      case 'GET /exports/patients.csv?includeTest=true': {
        const pt = await this.patientFor(ctx, relation, false);
        return { method: 'GET', url: withQuery(route.path), needle: pt.subjectId };
      }
      case 'GET /patients/:id':
        return { method: 'GET', url: `/patients/${(await patient()).id}` };
      case 'PATCH /patients/:id':
        return {
          method: 'PATCH',
          url: `/patients/${(await patient()).id}`,
          body: { initials: 'ZZ' },
        };
      case 'DELETE /patients/:id':
        return {
          method: 'DELETE',
          url: `/patients/${(await this.patientFor(ctx, relation, true)).id}`,
        };
      case 'POST /patients/:id/phase':
        return {
          method: 'POST',
          url: `/patients/${(await this.patientFor(ctx, relation, true)).id}/phase`,
          body: { phase: 'preparation' },
        };
      case 'POST /sessions': {
        const pt = await this.patientFor(ctx, relation === 'invalidBody' ? 'own' : relation, false);
        return {
          method: 'POST',
          url: '/sessions',
          body: { patientId: pt.id, substance: 'ketamine', startedAt: AT, ...invalid },
        };
      }
      case 'GET /sessions?patientId=:patientId':
      case 'GET /assessments?patientId=:patientId':
        return { method: 'GET', url: withQuery(route.path, (await patient()).id) };
      case 'GET /sessions/:id':
      case 'GET /sessions/:id/vitals':
        return { method: 'GET', url: route.path.replace(':id', (await patient()).sessionId) };
      case 'PATCH /sessions/:id':
        return {
          method: 'PATCH',
          url: `/sessions/${(await this.patientFor(ctx, relation, true)).sessionId}`,
          body: { endedAt: new Date().toISOString() },
        };
      case 'POST /sessions/:id/vitals':
        return {
          method: 'POST',
          url: `/sessions/${(await patient()).sessionId}/vitals`,
          body: { recordedAt: LATER, heartRate: 82 },
        };
      case 'POST /sessions/:id/doses':
        return {
          method: 'POST',
          url: `/sessions/${(await patient()).sessionId}/doses`,
          body: { mg: 100, at: LATER },
        };
      case 'POST /sessions/:id/subjective-logs':
        return {
          method: 'POST',
          url: `/sessions/${(await patient()).sessionId}/subjective-logs`,
          body: { at: LATER, kind: 'ego_dissolution', intensity: 5 },
        };
      case 'POST /sessions/:id/adverse-events':
        return {
          method: 'POST',
          url: `/sessions/${(await patient()).sessionId}/adverse-events`,
          body: { occurredAt: LATER, description: 'nausea', severity: 'mild' },
        };
      case 'POST /sessions/:id/adverse-events/:eventId/interventions': {
        const pt = await patient();
        return {
          method: 'POST',
          url: `/sessions/${pt.sessionId}/adverse-events/${pt.adverseEventId}/interventions`,
          body: { at: LATER, action: 'cooling' },
        };
      }
      case 'POST /assessments': {
        const pt = await this.patientFor(ctx, relation === 'invalidBody' ? 'own' : relation, false);
        return {
          method: 'POST',
          url: '/assessments',
          body: {
            patientId: pt.id,
            instrument: 'PHQ9',
            answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
            ...invalid,
          },
        };
      }
      case 'POST /protocols':
        return {
          method: 'POST',
          url: '/protocols',
          body: { name: uniqueName('Matrix protocol'), substance: 'ibogaine', ...invalid },
        };
      case 'GET /protocols': {
        const id = await this.protocolFor(ctx, relation, false);
        return { method: 'GET', url: '/protocols', needle: id };
      }
      case 'GET /protocols/:id':
        return { method: 'GET', url: `/protocols/${await this.protocolFor(ctx, relation, false)}` };
      case 'PATCH /protocols/:id':
        return {
          method: 'PATCH',
          url: `/protocols/${await this.protocolFor(ctx, relation, false)}`,
          body: { name: uniqueName('Matrix protocol renamed') },
        };
      case 'DELETE /protocols/:id':
        return {
          method: 'DELETE',
          url: `/protocols/${await this.protocolFor(ctx, relation, true)}`,
        };
      case 'POST /protocols/dose-calculation':
        return {
          method: 'POST',
          url: route.path,
          body: { weightKg: 70, doses: [{ mg: 700, at: AT }], ...invalid },
        };
      case 'POST /protocols/interaction-check':
        return {
          method: 'POST',
          url: route.path,
          body: { substances: ['ibogaine'], medications: ['lithium'], ...invalid },
        };
      case 'POST /protocols/interaction-check [patientId]':
        return {
          method: 'POST',
          url: route.path,
          body: { substances: ['ibogaine'], patientId: (await patient()).id },
        };
      case 'GET /exports/vitals.csv':
      case 'GET /exports/assessments.csv':
      case 'GET /analytics/outcomes':
      case 'GET /benchmarks/cohorts':
        return { method: 'GET', url: route.path };
      default:
        throw new Error(`no request builder for ${key}`);
    }
  }

  /** A list read in full (following nextCursor), cached per caller and URL. */
  private readList(
    token: string | null,
    url: string,
  ): Promise<{ status: number; code?: string; text: string }> {
    const cacheKey = `${token ?? '-'} ${url}`;
    let found = this.listCache.get(cacheKey);
    if (!found) {
      found = (async () => {
        const texts: string[] = [];
        const isCsv = url.includes('.csv');
        let cursor: string | null = null;
        for (let page = 0; page < 40; page++) {
          const sep = url.includes('?') ? '&' : '?';
          const pageUrl = isCsv
            ? url
            : `${url}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const res: HttpAnswer = await this.b.http.send('GET', pageUrl, token);
          if (res.status !== 200) return { status: res.status, code: codeOf(res), text: res.text };
          texts.push(res.text);
          cursor = isCsv
            ? null
            : ((res.json as { nextCursor?: string | null } | undefined)?.nextCursor ?? null);
          if (!cursor) break;
        }
        return { status: 200, text: texts.join('\n') };
      })();
      this.listCache.set(cacheKey, found);
    }
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // Cases

  /** Runs one case and records a mismatch when the answer differs from the oracle. */
  async runCase(
    caller: Caller | null,
    route: RouteSpec,
    relation: Relation,
    options: { clone?: boolean } = {},
  ): Promise<void> {
    let ctx: CallerCtx;
    if (caller === null) {
      const ref = this.ctxs.get(callerLabel(REFERENCE_CALLER));
      if (!ref) throw new Error('reference caller missing');
      ctx = ref;
    } else if (options.clone) {
      ctx = await this.newCaller(caller, await this.b.clonePositions(this.positions));
    } else {
      const found = this.ctxs.get(callerLabel(caller));
      if (!found) throw new Error(`caller ${callerLabel(caller)} missing`);
      ctx = found;
    }
    const token = caller === null ? null : ctx.token;
    const started = performance.now();
    const expected: Outcome = expectedOutcome(caller, route, relation);
    const req = await this.request(ctx, route, relation, route.mutating && caller !== null);
    let actual: Actual;
    if (req.needle !== undefined && req.method === 'GET') {
      const list = await this.readList(token, req.url);
      actual =
        list.status === 200
          ? { status: 200, listed: list.text.includes(req.needle) }
          : { status: list.status, code: list.code };
    } else {
      const res = await this.b.http.send(req.method, req.url, token, req.body);
      actual = { status: res.status, code: codeOf(res) };
    }
    this.record(caller, route, relation, req, expected, actual);
    const ms = performance.now() - started;
    this.stats.timeByRoute.set(route.key, (this.stats.timeByRoute.get(route.key) ?? 0) + ms);
  }

  private record(
    caller: Caller | null,
    route: RouteSpec,
    relation: Relation,
    req: Req,
    expected: Outcome,
    actual: Actual,
  ): void {
    this.stats.cases++;
    const answer = `${actual.status}${actual.code ? ` ${actual.code}` : ''}${actual.listed === undefined ? '' : actual.listed ? ' listed' : ' not-listed'}`;
    this.stats.answers.set(answer, (this.stats.answers.get(answer) ?? 0) + 1);
    const per = this.stats.perRoute.get(route.key) ?? { cases: 0, mismatches: 0 };
    per.cases++;
    this.stats.perRoute.set(route.key, per);
    const row: Mismatch = {
      caller: callerLabel(caller),
      route: route.key,
      relation,
      request: `${req.method} ${req.url}${req.body === undefined ? '' : ` ${JSON.stringify(req.body)}`}`,
      expected: formatOutcome(expected),
      actual: `${actual.status}${actual.code ? ` ${actual.code}` : ''}${actual.listed === undefined ? '' : actual.listed ? ' listed' : ' not-listed'}`,
    };
    const primary = matches({ ...expected, alternatives: undefined }, actual);
    if (primary) return;
    if (matches(expected, actual)) {
      this.stats.alternativeHits.push(row);
      return;
    }
    per.mismatches++;
    this.stats.mismatches.push(row);
  }

  /**
   * The cases of a route, anonymous first. Two documented reductions keep the suite fast:
   *  - a caller the feature/admin guard refuses (feature_denied, role_expired: API.md "a denied
   *    caller gets 403 whatever it sent") is tried on its first relation and invalidBody only;
   *  - a changing case (fresh targets, the costly kind) runs for every kind and relation but
   *    for a rotating third of the tier variants, so each tier still meets every route; reads
   *    of non-anchor routes likewise for a rotating half. MATRIX_FULL=1 runs everything.
   */
  casesOf(
    route: RouteSpec,
    routeIndex: number,
    callers: readonly Caller[],
  ): { cases: { caller: Caller | null; relation: Relation; clone: boolean }[]; skipped: number } {
    // One anonymous case per route, on a record the reference caller can name.
    const anonymousRelation =
      route.relations.find((rel) => isApplicable(REFERENCE_CALLER, route, rel)) ??
      route.relations[0];
    const cases: { caller: Caller | null; relation: Relation; clone: boolean }[] = [
      { caller: null, relation: anonymousRelation, clone: false },
    ];
    let skipped = 0;
    const variants = [...new Set(callers.map((c) => `${c.tier}${c.expired ? '!' : ''}`))];
    for (const caller of callers) {
      const applicable = route.relations.filter((rel) => isApplicable(caller, route, rel));
      const variant = variants.indexOf(`${caller.tier}${caller.expired ? '!' : ''}`);
      const kindIndex = CALLER_KINDS.indexOf(caller.kind);
      applicable.forEach((relation, relationIndex) => {
        const expected = expectedOutcome(caller, route, relation);
        const guardRefused =
          (route.rule.kind === 'feature' || route.rule.kind === 'admin') &&
          expected.status === 403 &&
          (expected.code === 'feature_denied' ||
            expected.code === 'role_expired' ||
            expected.code === 'feature_disabled');
        if (guardRefused) {
          if (relationIndex === 0 || relation === 'invalidBody')
            cases.push({ caller, relation, clone: false });
          else skipped++;
          return;
        }
        const stride = FULL_MATRIX
          ? 1
          : route.mutating
            ? WRITE_TIER_STRIDE
            : ANCHOR_READS.has(route.key)
              ? 1
              : READ_TIER_STRIDE;
        if ((variant + routeIndex + relationIndex + kindIndex) % stride !== 0) {
          skipped++;
          return;
        }
        cases.push({
          caller,
          relation,
          clone: route.mutating && (route.cloneFor ?? []).includes(relation),
        });
      });
    }
    return { cases, skipped };
  }
}

/** Changing cases run for one tier variant in this many (rotating). */
const WRITE_TIER_STRIDE = 3;
/** Read cases of non-anchor routes run for one tier variant in this many (rotating). */
const READ_TIER_STRIDE = 2;
/** Reads that keep the full tier × kind × relation product. */
const ANCHOR_READS = new Set([
  'GET /tenants',
  'GET /tenants/:id',
  'GET /clinics/:id',
  'GET /check-ins/:id',
  'GET /patients',
  'GET /patients/:id',
  'GET /dashboard',
  'GET /dashboard?includeTest=true',
  'GET /protocols/:id',
  'GET /admin/users/:id',
]);
/** MATRIX_FULL=1 runs the whole product (slow; for a thorough check). */
const FULL_MATRIX = process.env.MATRIX_FULL === '1';

function codeOf(res: HttpAnswer): string | undefined {
  const code = (res.json as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Paths of GET /docs-json as "METHOD /a/{}/b" keys (parameter names ignored). */
export function documentedRoutes(doc: unknown): Set<string> {
  const out = new Set<string>();
  const paths =
    (doc as { paths?: Record<string, Record<string, unknown>> } | undefined)?.paths ?? {};
  for (const [path, ops] of Object.entries(paths)) {
    for (const method of Object.keys(ops))
      out.add(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`);
  }
  return out;
}

export function routeDocKey(route: RouteSpec): string {
  return `${route.method} ${route.path.replace(/:[A-Za-z]+/g, '{}')}`;
}
