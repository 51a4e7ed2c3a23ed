import fc from 'fast-check';
import { loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bodyArb, contentTypeArb, LEAK_PATTERNS, paramArb, queryArb } from '../security/fuzz';
import { fillPath, loadInventory, type SweepRoute } from '../security/route-inventory';
import { PARAM_VALUES } from '../security/schema-values';
import { report } from '../security/sweep';
import { buildWorld, type World } from '../security/world';

/**
 * Property-based fuzzing of every route from its OpenAPI schema (fast-check): valid, boundary
 * and malformed bodies, path and query parameters, tokens and content types. Properties: no
 * answer ≥ 500, no answer body contains a stack trace, SQL or a file path, and every body
 * names its media type with a charset.
 * `npm test` runs FUZZ_RUNS=300 (default) with a fixed seed; `npm run test:fuzz` runs 10,000.
 * A failure prints the seed and the shrunk request; replay with FUZZ_SEED=<seed>.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20260501);

describe('Security: OpenAPI-driven fuzzing (e2e)', () => {
  let t: TestApp;
  let world: World;
  let routes: SweepRoute[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    routes = await loadInventory(t);
  }, 120_000);
  afterAll(() => t?.close());

  it(`${RUNS} requests: none ≥ 500, none leaks a stack, SQL or a path`, async () => {
    const c = world.callers;
    // Callers whose sessions survive the run: logout routes only ever get throwaway tokens.
    // Callers are named, their tokens looked up at request time: an action of the run that ends a
    // caller's session (a tenant deleted, a role changed) is followed by a fresh login, so the
    // run keeps exercising authorised paths instead of drifting into 401s.
    const live = new Map<string, string>(
      Object.values(c).map((x) => [`caller:${x.name}`, x.token]),
    );
    const tokens = [
      c.platformAdmin,
      c.owner,
      c.clinicAdmin,
      c.member,
      c.solo,
      c.partner,
      c.observer,
    ].map((x) => `caller:${x.name}`);
    let relogins = 0;
    const badTokens = [
      '',
      'garbage',
      'Bearer',
      `${c.member.token.slice(0, -4)}AAAA`,
      'x'.repeat(5000),
    ];
    const statuses = new Map<number, number>();
    const touched = new Set<string>();
    let requests = 0;

    const requestArb = fc.constantFrom(...routes).chain((route) => {
      const caller = fc.constantFrom(...Object.values(world.callers));
      return caller.chain((who) => {
        // Callers' own user ids are left out: a PATCH on one would bump its token version and
        // turn the rest of the run into 401s. Users of the foreign positions stand in.
        const { user: _self, ...home } = who.home;
        const refs = { ...home, tenant: world.t1, clinic: world.c1a, secrets: [] };
        const ids = [
          ...Object.values(refs),
          ...Object.values(world.positions).flatMap((b) => Object.values(b)),
        ].filter((v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v));
        const params = fc.record(
          Object.fromEntries(
            route.pathParams.map((p) => [p, paramArb(PARAM_VALUES[p] ? [PARAM_VALUES[p]] : ids)]),
          ),
        );
        const ending = /^\/auth\/logout/.test(route.path);
        const token = fc.oneof(
          { weight: 8, arbitrary: fc.constant(ending ? undefined : `caller:${who.name}`) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(...(ending ? badTokens : [...tokens, ...badTokens])),
          },
          { weight: 1, arbitrary: fc.constant(undefined) },
        );
        return fc.record({
          route: fc.constant(route),
          params,
          query: queryArb(route, refs),
          body: route.method === 'GET' ? fc.constant({ body: undefined }) : bodyArb(route, refs),
          token,
          contentType: contentTypeArb(),
        });
      });
    });

    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const method = r.route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        let path: string;
        try {
          path = fillPath(r.route.path, r.params);
        } catch {
          return;
        }
        let req = t.http()[method](path).query(r.query);
        const token = r.token !== undefined && live.has(r.token) ? live.get(r.token) : r.token;
        if (token !== undefined) {
          req = req.set(
            'authorization',
            token.startsWith('Bearer') || token === '' ? token : `Bearer ${token}`,
          );
        }
        if (r.contentType !== undefined) req = req.set('content-type', r.contentType);
        // Bodies go out serialised by hand: raw strings as is, anything else as JSON text (a
        // bare number or null is valid JSON), under the generated content type if any.
        const generated: { body: unknown; raw?: string } = r.body;
        const payload =
          generated.raw ??
          (generated.body === undefined ? undefined : JSON.stringify(generated.body));
        if (payload !== undefined && r.contentType === undefined) {
          req = req.set('content-type', 'application/json');
        }
        const res = await (payload === undefined ? req : req.send(payload));
        requests += 1;
        if (res.status === 401 && r.token !== undefined && live.has(r.token)) {
          const caller = Object.values(c).find((x) => `caller:${x.name}` === r.token);
          if (caller) {
            live.set(r.token, await loginAs(t, caller.user).catch(() => caller.token));
            relogins += 1;
          }
        }
        touched.add(r.route.key);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = res.text ?? '';
        const where = `${r.route.method} ${path} → ${res.status} ${text.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        // ASVS 4.1.1: a body always comes with its media type and charset.
        const contentType = String(res.headers['content-type'] ?? '');
        if (text.length > 0 && !/;\s*charset=/i.test(contentType)) {
          throw new Error(`content-type without charset (${contentType || 'none'}): ${where}`);
        }
        for (const pattern of LEAK_PATTERNS) {
          // CSV exports legitimately carry free text columns of the caller's own data; only error bodies are checked there.
          if (res.status < 400 && /\.csv$/.test(r.route.path)) continue;
          if (r.route.path.startsWith('/docs')) continue;
          const match = pattern.exec(text)?.[0];
          // A validation error may echo the caller's own input (an unknown field named "A:\\"):
          // only text the request did not carry is a leak.
          const sent = `${path} ${JSON.stringify(r.query)} ${payload ?? ''}`;
          if (match && !sent.includes(match) && !JSON.stringify(sent).includes(match)) {
            throw new Error(`leak ${pattern.source}: ${where}`);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false, verbose: 1 },
    );
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
    report(
      `[security-fuzz] seed ${SEED}: ${requests} requests over ${touched.size}/${routes.length} routes, ${fivexx} answers ≥ 500; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    report(
      `[security-fuzz] ${relogins} re-logins after a caller's session was ended by the run itself`,
    );
    if (RUNS >= 1000) expect(touched.size).toBe(routes.length);
  }, 3_600_000);
});
