import { randomUUID } from 'node:crypto';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import {
  bearer,
  buildClinicalWorld,
  type ClinicalWorld,
  type WorldUser,
} from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

type Method = 'get' | 'post' | 'patch' | 'delete';
type Who = 'free' | 'partnerFree' | 'observer' | 'expired' | 'member';

interface RouteCase {
  readonly method: Method;
  readonly path: string;
  readonly feature: string;
  /** A caller whose tier lacks the feature (or the action), and the 403 code it gets. */
  readonly denied: Who;
  readonly code: 'feature_denied' | 'role_expired';
}

const id = randomUUID();
/** Every clinical route (API.md "Clinical features", without /admin/*). */
const ROUTES: readonly RouteCase[] = [
  {
    method: 'post',
    path: '/patients',
    feature: 'wellness_journey',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/patients',
    feature: 'wellness_journey',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'get',
    path: `/patients/${id}`,
    feature: 'wellness_journey',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'patch',
    path: `/patients/${id}`,
    feature: 'wellness_journey',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'delete',
    path: `/patients/${id}`,
    feature: 'wellness_journey',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: `/patients/${id}/phase`,
    feature: 'wellness_journey',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: '/sessions',
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/sessions',
    feature: 'session_vitals',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'get',
    path: `/sessions/${id}`,
    feature: 'session_vitals',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'patch',
    path: `/sessions/${id}`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: `/sessions/${id}/vitals`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: `/sessions/${id}/vitals`,
    feature: 'session_vitals',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'post',
    path: `/sessions/${id}/doses`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: `/sessions/${id}/subjective-logs`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: `/sessions/${id}/adverse-events`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: `/sessions/${id}/adverse-events/${id}/interventions`,
    feature: 'session_vitals',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: '/assessments',
    feature: 'baseline_assessments',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/assessments',
    feature: 'baseline_assessments',
    denied: 'expired',
    code: 'role_expired',
  },
  {
    method: 'get',
    path: '/dashboard',
    feature: 'multi_patient_dashboard',
    denied: 'free',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: '/protocols',
    feature: 'protocol_builder',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/protocols',
    feature: 'protocol_builder',
    denied: 'free',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: `/protocols/${id}`,
    feature: 'protocol_builder',
    denied: 'partnerFree',
    code: 'feature_denied',
  },
  {
    method: 'patch',
    path: `/protocols/${id}`,
    feature: 'protocol_builder',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'delete',
    path: `/protocols/${id}`,
    feature: 'protocol_builder',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: '/protocols/dose-calculation',
    feature: 'protocol_builder',
    denied: 'free',
    code: 'feature_denied',
  },
  {
    method: 'post',
    path: '/protocols/interaction-check',
    feature: 'protocol_builder',
    denied: 'partnerFree',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/exports/patients.csv',
    feature: 'data_export',
    denied: 'observer',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/exports/vitals.csv',
    feature: 'data_export',
    denied: 'partnerFree',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/exports/assessments.csv',
    feature: 'data_export',
    denied: 'free',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/analytics/outcomes',
    feature: 'analytics',
    denied: 'free',
    code: 'feature_denied',
  },
  {
    method: 'get',
    path: '/benchmarks/cohorts',
    feature: 'benchmark_intel',
    denied: 'member',
    code: 'feature_denied',
  },
];

describe('Clinical routes: 401, 403 before validation, read tiers (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;
  let callers: Record<Who, WorldUser>;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
    // Logged in while valid, then expired: every feature answers role_expired.
    const expired = await createUser(t.dataSource, {
      tier: 'beta_observer',
      tierExpiresAt: new Date(Date.now() + 60_000),
    });
    const token = await loginAs(t, expired);
    await t.dataSource.query(
      `UPDATE user_profiles SET role_expires_at = now() - interval '1 minute' WHERE user_id = $1`,
      [expired.id],
    );
    callers = {
      free: w.free,
      partnerFree: w.partnerFree,
      observer: w.observer,
      member: w.member,
      expired: { ...expired, token },
    };
  }, 60_000);
  afterAll(() => t.close());

  it.each(
    ROUTES.map(
      (r) =>
        [
          `${r.method.toUpperCase()} ${r.path.replace(id, ':id').replace(id, ':eventId')}`,
          r,
        ] as const,
    ),
  )(
    '%s: 401 without a token, 403 for a tier without it (whatever the body)',
    async (_name, route) => {
      const anonymous = await t.http()[route.method](route.path).send({ junk: true });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
      const caller = callers[route.denied];
      const res = await t
        .http()
        [route.method](route.path)
        .set(...bearer(caller))
        .send({ junk: true });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        code: route.code,
        feature: route.feature,
        tier: caller.tier,
      });
      expect(res.body.reason).toEqual(expect.any(String));
    },
  );

  it('a read tier (beta_observer) gets the GET routes and the two computations', async () => {
    for (const path of ['/patients', '/sessions', '/assessments', '/dashboard', '/protocols']) {
      expect([
        path,
        (
          await t
            .http()
            .get(path)
            .set(...bearer(w.observer))
        ).status,
      ]).toEqual([path, 200]);
    }
    expect(
      (
        await t
          .http()
          .get(`/patients/${id}`)
          .set(...bearer(w.observer))
      ).status,
    ).toBe(404);
    const dose = await t
      .http()
      .post('/protocols/dose-calculation')
      .set(...bearer(w.observer))
      .send({ weightKg: 70, doses: [{ mg: 700, at: '2026-05-01T08:00:00Z' }] });
    expect(dose.status).toBe(200);
    expect(dose.body.totalMgPerKg).toBe(10);
    const check = await t
      .http()
      .post('/protocols/interaction-check')
      .set(...bearer(w.observer))
      .send({ substances: ['mdma'], medications: ['Zoloft'] });
    expect(check.status).toBe(200);
    expect(check.body.interactions[0]).toMatchObject({
      substance: 'mdma',
      agent: 'sertraline',
      severity: 'major',
    });
  });

  it('every clinical route is in the OpenAPI document with its authorization rule', async () => {
    const doc = await t.http().get('/docs-json');
    const paths = doc.body.paths as Record<
      string,
      Record<string, { 'x-authorization'?: { feature: string } }>
    >;
    for (const route of ROUTES) {
      const openApiPath = route.path
        .replace(`/adverse-events/${id}/`, '/adverse-events/{eventId}/')
        .replace(id, '{id}');
      const operation = paths[openApiPath]?.[route.method];
      expect([openApiPath, operation?.['x-authorization']?.feature]).toEqual([
        openApiPath,
        route.feature,
      ]);
    }
    expect(JSON.stringify(paths['/protocols/interaction-check'])).toMatch(
      /ILLUSTRATIVE REFERENCE DATA/,
    );
  });
});
