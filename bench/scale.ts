import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { buildAbility } from '../src/abilities/ability.factory';
import type { AccessContext } from '../src/abilities/access-context';
import { PRINCIPAL_SQL, principalFromRow } from '../src/auth/principal-loader';
import { contextLiteralSql } from '../src/database/request-context';
import { sessionContextOf } from '../src/database/session-context';
import { ExportsService } from '../src/modules/exports/exports.service';
import { patientInScopeQuery, patientListQuery } from '../src/modules/patients/patients.service';
import { Kind, uuid, uuidIndex } from './data/layout';
import type { BenchCaller } from './lib/callers';
import type { RunningServer } from './lib/servers';
import type { Sample } from './http';

export interface ScalePoint {
  readonly patients: number;
  readonly vitals: number;
  readonly app: { list: Sample; get: Sample };
  readonly baseline: { list: Sample; get: Sample };
  readonly plans: Plan[];
}

export interface Plan {
  readonly name: string;
  readonly text: string;
  readonly seqScans: string[];
  readonly indexes: string[];
  readonly executionMs: number;
}

/**
 * Requests one after another on one keep-alive connection for `seconds`, each timed with
 * process.hrtime (autocannon reports whole milliseconds, too coarse for 1–2 ms answers).
 */
async function sequentialLatency(
  server: RunningServer,
  caller: BenchCaller,
  route: 'list' | 'get',
  seconds: number,
): Promise<Sample> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const durations: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const ids = caller.patientIds;
  const deadline = Date.now() + seconds * 1000;
  try {
    for (let i = 0; Date.now() < deadline; i++) {
      const path = route === 'list' ? '/patients' : `/patients/${ids[i % ids.length]}`;
      const started = process.hrtime.bigint();
      const status = await new Promise<number>((done) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path,
            agent,
            headers: { authorization: `Bearer ${caller.token}` },
          },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', () => done(0));
        req.end();
      });
      durations.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (status === 0) errors++;
      else if (status < 200 || status >= 300) non2xx++;
    }
  } finally {
    agent.destroy();
  }
  durations.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] * 100) /
    100;
  return { rps: durations.length / seconds, p50: at(0.5), p99: at(0.99), errors, non2xx };
}

/** Latency at one connection (no queueing): what one caller waits for, at this table size. */
export async function scaleLatency(
  app: RunningServer,
  baseline: RunningServer,
  caller: BenchCaller,
  seconds: number,
  runs: number,
): Promise<{ app: { list: Sample; get: Sample }; baseline: { list: Sample; get: Sample } }> {
  const pick = async (server: RunningServer, route: 'list' | 'get'): Promise<Sample> => {
    const samples: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      const sample = await sequentialLatency(server, caller, route, seconds);
      // A latency of failed requests would be meaningless: stop rather than report it.
      if (sample.non2xx > 0 || sample.errors > 0)
        throw new Error(
          `${server.name} ${route}: ${sample.non2xx} non-2xx, ${sample.errors} errors`,
        );
      samples.push(sample);
    }
    samples.sort((a, b) => a.p50 - b.p50);
    return samples[samples.length >> 1];
  };
  return {
    app: { list: await pick(app, 'list'), get: await pick(app, 'get') },
    baseline: { list: await pick(baseline, 'list'), get: await pick(baseline, 'get') },
  };
}

async function accessOf(client: Client, caller: BenchCaller): Promise<AccessContext> {
  const claims = {
    sub: caller.user.id,
    sid: uuid(Kind.Session, caller.user.index),
    ver: 0,
    jti: 'explain',
  };
  const { rows } = await client.query(PRINCIPAL_SQL, [claims.sub, claims.sid, claims.ver]);
  const principal = principalFromRow(rows[0], claims);
  if (!principal) throw new Error(`No principal for ${caller.kind}`);
  const input = { principal, disabledFeatures: new Set<never>(), now: new Date() };
  return {
    principal,
    ability: buildAbility(input),
    input,
    rule: { action: 'read', subject: 'Patient', feature: 'wellness_journey' },
    requestId: 'explain',
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the app runs, inside a transaction carrying
 * the caller's RLS context exactly as a request does (so the plans include the policies).
 */
export async function explainScoped(url: string, callers: BenchCaller[]): Promise<Plan[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const plans: Plan[] = [];
  try {
    for (const caller of callers) {
      const access = await accessOf(client, caller);
      const exportQuery = (
        new ExportsService(null as never, null as never, null as never) as unknown as {
          query(
            a: AccessContext,
            kind: string,
            includeTest: boolean | undefined,
          ): { sql: string; values: unknown[] };
        }
      ).query(access, 'vitals', undefined);
      const session = uuid(Kind.Treatment, uuidIndex(caller.patientIds[0]));
      const statements: [string, { sql: string; values: unknown[] }][] = [
        [`GET /patients — ${caller.kind}`, patientListQuery(access, {}, 50)],
        [
          `GET /patients/:id — ${caller.kind}`,
          patientInScopeQuery(access, 'read', 'Patient', caller.patientIds[0], false),
        ],
        [
          `GET /sessions/:id/vitals (page) — ${caller.kind}`,
          {
            sql: `SELECT v.* FROM vitals v WHERE v.session_id = $1 ORDER BY v.recorded_at, v.id LIMIT 51`,
            values: [session],
          },
        ],
        [`GET /exports/vitals.csv — ${caller.kind}`, exportQuery],
      ];
      for (const [name, statement] of statements) {
        await client.query(
          `START TRANSACTION; SET LOCAL jit = off; ${contextLiteralSql(sessionContextOf(access.principal))}`,
        );
        try {
          const result = await client.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
            statement.values,
          );
          const text = result.rows.map((r) => r['QUERY PLAN']).join('\n');
          plans.push({
            name,
            text,
            seqScans: [...text.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]),
            indexes: [
              ...new Set(
                [
                  ...text.matchAll(
                    /Index (?:Only )?Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)/g,
                  ),
                ].map((m) => m[1] ?? m[2]),
              ),
            ],
            executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN),
          });
        } finally {
          await client.query('ROLLBACK');
        }
      }
    }
  } finally {
    await client.end();
  }
  return plans;
}

export interface ExportResult {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  readonly rssGrowthMb: number;
}

/** Streams GET /exports/vitals.csv once, counting rows, sampling the app's RSS every 50 ms. */
export async function measureExport(app: RunningServer, token: string): Promise<ExportResult> {
  const before = app.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, app.rss());
  }, 50);
  const started = process.hrtime.bigint();
  let lines = 0;
  try {
    await new Promise<void>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: app.port,
          path: '/exports/vitals.csv',
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return fail(new Error(`export answered ${res.statusCode}`));
          }
          res.on('data', (chunk: Buffer) => {
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          });
          res.on('end', () => done());
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end();
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, app.rss());
  const rows = Math.max(0, lines - 1);
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  return {
    rows,
    seconds,
    rowsPerSecond: rows / seconds,
    rssBeforeMb: mb(before),
    rssPeakMb: mb(peak),
    rssGrowthMb: mb(peak - before),
  };
}
