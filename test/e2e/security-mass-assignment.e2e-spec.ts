import { startTestApp, type TestApp } from '../harness/test-app';
import {
  createTargets,
  runExposureSweep,
  runMassAssignmentSweep,
  type ExposureResult,
  type MassAssignmentResult,
} from '../security/mass-assignment';
import { loadInventory, type SweepRoute } from '../security/route-inventory';
import { report, rowHashes } from '../security/sweep';
import { buildWorld, type World } from '../security/world';

/** OWASP API3 over the route inventory (oracle: test/security/mass-assignment.ts). */
describe('Security: property-level sweep (e2e)', () => {
  let t: TestApp;
  let world: World;
  let routes: SweepRoute[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    routes = await loadInventory(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('every write route rejects each forbidden field with 400, and no row changes', async () => {
    const targets = await createTargets(t, world);
    const before = await rowHashes(t.dataSource);
    const result: MassAssignmentResult = await runMassAssignmentSweep(t, world, routes, targets);
    const after = await rowHashes(t.dataSource);
    report(
      `[security-mass-assignment] ${result.routes.size} write routes, ${result.cases} forbidden-field cases`,
    );
    const writes = routes
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.body)
      .map((r) => r.key);
    expect(writes.filter((k) => !result.routes.has(k))).toEqual([]);
    expect(result.failures).toEqual([]);
    // Not one row added, changed or deleted by 400 answers.
    expect([...after].map(([table, rows]) => [table, rows.size])).toEqual(
      [...before].map(([table, rows]) => [table, rows.size]),
    );
    for (const [table, rows] of before)
      expect([table, [...rows].filter((h) => !after.get(table)?.has(h))]).toEqual([table, []]);
  }, 120_000);

  it('no read answer carries a credential, or another user’s email outside the people routes', async () => {
    const targets = await createTargets(t, world);
    const result: ExposureResult = await runExposureSweep(t, world, routes, targets);
    report(
      `[security-mass-assignment] exposure: ${result.routes.size} GET routes, ${result.cases} caller×route reads`,
    );
    expect(result.routes.size).toBeGreaterThan(20);
    expect(result.failures).toEqual([]);
  }, 120_000);
});
