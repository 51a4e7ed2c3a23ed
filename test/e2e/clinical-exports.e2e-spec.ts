import { get, type IncomingMessage } from 'node:http';
import {
  createAssessment,
  createPatient,
  createSession,
  createVitals,
  type TestPatient,
} from '../factories/clinical';
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

const MB = 1024 * 1024;
const BIG_EXPORT_ROWS = 100_000;
/** Loading 100k rows into memory would take several times this; streaming stays far below. */
const MAX_RSS_GROWTH_MB = 60;

describe('Clinical: exports (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;
  let baseUrl: string;
  let live: TestPatient;
  let otherTenant: TestPatient;
  let partnerTest: TestPatient;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
    live = await createPatient(t.dataSource, {
      ownerId: w.member.id,
      tenantId: w.t1,
      clinicId: w.c1,
      substance: '=cmd|evil',
      medications: ['lithium', 'a,b'],
    });
    await t.dataSource.query(`UPDATE patients SET initials = 'JD' WHERE id = $1`, [live.id]);
    otherTenant = await createPatient(t.dataSource, {
      ownerId: w.other.id,
      tenantId: w.t2,
      clinicId: w.c3,
    });
    partnerTest = await createPatient(t.dataSource, { ownerId: w.partner.id, isTest: true });
    for (const p of [live, otherTenant, partnerTest]) {
      const s = await createSession(t.dataSource, p.id);
      await createVitals(t.dataSource, s, 3);
      await createAssessment(
        t.dataSource,
        p.id,
        'PHQ9',
        [3, 3, 3, 3, 3, 3, 3, 2, 2],
        25,
        'severe',
        new Date('2026-01-01T00:00:00Z'),
      );
    }
  }, 60_000);
  afterAll(() => t.close());

  const lines = (text: string): string[] => text.split('\r\n').filter((l) => l.length > 0);

  it('401; 403 feature_denied for tiers without data_export', async () => {
    expect((await t.http().get('/exports/patients.csv')).status).toBe(401);
    for (const u of [w.free, w.partnerFree, w.observer]) {
      const res = await t
        .http()
        .get('/exports/vitals.csv')
        .set(...bearer(u));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'feature_denied', feature: 'data_export' });
    }
  });

  it('patients.csv: text/csv, anonymised, in scope, no test rows, escaped', async () => {
    const res = await t
      .http()
      .get('/exports/patients.csv')
      .set(...bearer(w.colleague))
      .buffer(true)
      .parse((r, cb) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => cb(null, body));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="patients.csv"');
    const rows = lines(res.body as string);
    expect(rows[0]).toBe('subject_id,is_test,phase,substance,medications,created_at,archived_at');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      new RegExp(`^${live.subjectId},false,intake,'=cmd\\|evil,"lithium;a,b",\\d{4}-`),
    );
    const text = res.body as string;
    expect(text).not.toContain(otherTenant.subjectId);
    expect(text).not.toContain(partnerTest.subjectId);
    expect(text).not.toContain('JD');
    expect(text).not.toContain(w.member.email);
  });

  it('vitals.csv and assessments.csv follow the same scope; notes are never exported', async () => {
    const vitals = await t
      .http()
      .get('/exports/vitals.csv')
      .set(...bearer(w.member));
    expect(vitals.status).toBe(200);
    const v = lines(vitals.text);
    expect(v[0]).toMatch(/^subject_id,session_id,substance,recorded_at,heart_rate/);
    expect(v).toHaveLength(4);
    expect(v.slice(1).every((l) => l.startsWith(`${live.subjectId},`))).toBe(true);
    expect(vitals.text).not.toContain('seeded reading');
    const assessments = await t
      .http()
      .get('/exports/assessments.csv')
      .set(...bearer(w.member));
    expect(lines(assessments.text)).toEqual([
      'subject_id,instrument,administered_at,score,severity,complete,answers',
      `${live.subjectId},PHQ9,2026-01-01T00:00:00.000Z,25.00,severe,,3;3;3;3;3;3;3;2;2`,
    ]);
  });

  it('a partner exports its own test rows only; PLATFORM_ADMIN sees test rows only with includeTest=true', async () => {
    const partner = await t
      .http()
      .get('/exports/patients.csv')
      .set(...bearer(w.partner));
    expect(lines(partner.text).slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${partnerTest.subjectId},true,`)),
    ]);
    const admin = await t
      .http()
      .get('/exports/patients.csv')
      .set(...bearer(w.admin));
    expect(admin.text).toContain(live.subjectId);
    expect(admin.text).toContain(otherTenant.subjectId);
    expect(admin.text).not.toContain(partnerTest.subjectId);
    const withTest = await t
      .http()
      .get('/exports/patients.csv?includeTest=true')
      .set(...bearer(w.admin));
    expect(withTest.text).toContain(partnerTest.subjectId);
    const denied = await t
      .http()
      .get('/exports/patients.csv?includeTest=true')
      .set(...bearer(w.owner));
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('action_denied');
    const audit: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient_data.read' AND actor_id = $1 AND details->>'route' = 'GET /exports/patients.csv'`,
      [w.admin.id],
    );
    expect(audit[0].n).toBe(2);
  });

  /** Streams an export over a real socket, counting bytes/lines and sampling RSS; never buffers the body. */
  function streamExport(
    path: string,
    user: WorldUser,
    options: { abortAfterBytes?: number } = {},
  ): Promise<{ status: number; bytes: number; lines: number; peakRss: number }> {
    return new Promise((resolve, reject) => {
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(
        () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
        5,
      );
      const req = get(
        `${baseUrl}${path}`,
        { headers: { Authorization: `Bearer ${user.token}` } },
        (res: IncomingMessage) => {
          let bytes = 0;
          let count = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) count++;
            if (options.abortAfterBytes !== undefined && bytes >= options.abortAfterBytes) {
              clearInterval(sampler);
              req.destroy();
              resolve({ status: res.statusCode ?? 0, bytes, lines: count, peakRss });
            }
          });
          res.on('end', () => {
            clearInterval(sampler);
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
            resolve({ status: res.statusCode ?? 0, bytes, lines: count, peakRss });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (error) =>
        options.abortAfterBytes !== undefined ? undefined : reject(error),
      );
    });
  }

  describe(`a ${BIG_EXPORT_ROWS.toLocaleString('en')}-row vitals export`, () => {
    let bigOwner: WorldUser;

    beforeAll(async () => {
      bigOwner = w.c2member;
      const p = await createPatient(t.dataSource, {
        ownerId: bigOwner.id,
        tenantId: w.t1,
        clinicId: w.c2,
      });
      const s = await createSession(t.dataSource, p.id, {
        startedAt: new Date('2025-01-01T00:00:00Z'),
      });
      await createVitals(t.dataSource, s, BIG_EXPORT_ROWS);
    }, 60_000);

    it('streams with bounded memory (RSS growth printed)', async () => {
      // Warm up code paths (JIT, pools) so the measurement is the export's own footprint.
      await streamExport('/exports/vitals.csv', w.member);
      const before = process.memoryUsage().rss;
      const started = performance.now();
      const result = await streamExport('/exports/vitals.csv', bigOwner);
      const ms = performance.now() - started;
      const growthMb = (result.peakRss - before) / MB;
      process.stdout.write(
        `[clinical-exports] ${BIG_EXPORT_ROWS} vitals rows, ${(result.bytes / MB).toFixed(1)} MB of CSV in ${ms.toFixed(0)} ms; ` +
          `RSS before ${(before / MB).toFixed(0)} MB, peak ${(result.peakRss / MB).toFixed(0)} MB, growth ${growthMb.toFixed(1)} MB (limit ${MAX_RSS_GROWTH_MB} MB)\n`,
      );
      expect(result.status).toBe(200);
      expect(result.lines).toBe(BIG_EXPORT_ROWS + 1);
      expect(growthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
    }, 60_000);

    it('a client that goes away mid-stream ends the export’s transaction and frees its connection', async () => {
      const result = await streamExport('/exports/vitals.csv', bigOwner, {
        abortAfterBytes: 256 * 1024,
      });
      expect(result.status).toBe(200);
      const deadline = Date.now() + 5_000;
      let open = 1;
      while (Date.now() < deadline) {
        const rows: { n: number }[] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        );
        open = rows[0].n;
        if (open === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(open).toBe(0);
      // The app still answers (its pool was not leaked).
      expect(
        (
          await t
            .http()
            .get('/exports/patients.csv')
            .set(...bearer(w.member))
        ).status,
      ).toBe(200);
    }, 30_000);
  });
});
