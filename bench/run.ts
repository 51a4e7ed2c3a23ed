import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMigrations } from '../src/database/migrate';
import { datasetMeta, generateDataset } from './data/generate';
import { type Cell, load, median, type Route, type Sample } from './http';
import { benchCallers, CALLER_KINDS } from './lib/callers';
import { freshDatabase, openServer, serverVersion } from './lib/database';
import { type ProfileSummary, summarizeProfile } from './lib/profile';
import { POOL_MAX, type RunningServer, startApp, startBaseline } from './lib/servers';
import { benchKeys } from './lib/tokens';
import { runMicro } from './micro';
import { type BenchResults, evaluateTargets, renderMarkdown, renderSvg } from './report';
import { explainScoped, measureExport, type ScalePoint, scaleLatency } from './scale';

/**
 * `npm run bench [-- --quick] [--runs N] [--seconds S] [--profile] [--compare-dir DIR]`
 *
 * Datasets (bench/data) are generated once per size into databases clinic_bench_<size> on
 * DATABASE_URL's server (or an embedded PostgreSQL) and reused while their layout version
 * matches. Writes docs/benchmarks.md, docs/img/bench-scale.svg and var/bench/results.json.
 * `--compare-dir` points at another checkout of the app (e.g. a git worktree of the commit
 * before a change): it is started beside the app and measured in the same cells ("before").
 */
const ROOT = resolve(__dirname, '..');
const SIZES = [10_000, 100_000, 1_000_000];
const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1e3}k`);
const log = (line: string): void =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      seconds: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'compare-dir': { type: 'string' },
      'skip-1m': { type: 'boolean', default: false },
      'render-only': { type: 'boolean', default: false },
    },
  });
  if (values['render-only']) {
    render(JSON.parse(readFileSync(join(ROOT, 'var/bench/results.json'), 'utf8')) as BenchResults);
    return;
  }
  const quick = values.quick === true;
  const runs = Number(values.runs ?? (quick ? 1 : 3));
  const seconds = Number(values.seconds ?? (quick ? 1.5 : 4));
  const connections = [1, 16, 64];
  const sizes = quick || values['skip-1m'] ? SIZES.slice(0, 2) : SIZES;
  const compareDir = values['compare-dir'] ? resolve(values['compare-dir']) : null;
  const startedAt = Date.now();
  const loadAtStart = loadavg();

  const server = await openServer(log);
  const keys = benchKeys();
  const datasets: BenchResults['datasets'] = [];
  const urls = new Map<number, string>();
  try {
    for (const patients of sizes) {
      const name = `clinic_bench_${label(patients)}`;
      let url = server.databaseUrl(name);
      const meta = await datasetMeta(url);
      if (meta && meta.patients === patients) {
        // Schema changes since the dataset was made (e.g. policy rewrites) apply to it too.
        await runMigrations(url);
        datasets.push({ patients, seconds: meta.seconds, reused: true });
      } else {
        log(`generating ${name} (${patients.toLocaleString('en')} patients)`);
        url = await freshDatabase(server, name);
        const made = await generateDataset(url, patients, log);
        datasets.push({ patients, seconds: made.seconds, reused: false });
      }
      urls.set(patients, url);
    }
    const postgres = await serverVersion(urls.get(SIZES[0])!);

    // 1. HTTP matrix on the default dataset.
    const base = SIZES[0];
    const callers = benchCallers(base, keys);
    const cells: Cell[] = [];
    const beforeCells: Cell[] = [];
    let profile: BenchResults['profile'] = null;
    {
      const url = urls.get(base)!;
      const [app, baseline, before] = await Promise.all([
        startApp({ databaseUrl: url, keys }),
        startBaseline({ databaseUrl: url, keys }),
        compareDir
          ? startApp({ databaseUrl: url, keys, appDir: compareDir })
          : Promise.resolve(null),
      ]);
      try {
        // Warm-up: JIT, pools, caches, plan caches of both servers.
        for (const s of [app, baseline, before])
          if (s)
            for (const route of ['list', 'get'] as const)
              await load(s, callers['tenant admin'], route, 16, quick ? 0.5 : 1);
        for (const kind of CALLER_KINDS) {
          for (const route of ['list', 'get'] as Route[]) {
            for (const conns of connections) {
              const samples = new Map<RunningServer, Sample[]>([
                [app, []],
                [baseline, []],
              ]);
              if (before) samples.set(before, []);
              for (let r = 0; r < runs; r++) {
                const order = [...samples.keys()];
                if (r % 2 === 1) order.reverse();
                for (const s of order)
                  samples.get(s)!.push(await load(s, callers[kind], route, conns, seconds));
              }
              const cell = (server: RunningServer): Cell => ({
                caller: kind,
                route,
                connections: conns,
                app: medianSample(samples.get(server)!),
                baseline: medianSample(samples.get(baseline)!),
                runs: { app: samples.get(server)!, baseline: samples.get(baseline)! },
              });
              cells.push(cell(app));
              if (before) beforeCells.push(cell(before));
              const c = cells[cells.length - 1];
              log(
                `${kind.padEnd(13)} ${route} ${String(conns).padStart(2)} conn: app ${c.app.rps.toFixed(0)} req/s, baseline ${c.baseline.rps.toFixed(0)} req/s, ratio ${(c.app.rps / c.baseline.rps).toFixed(2)}${before ? `, before ${beforeCells[beforeCells.length - 1].app.rps.toFixed(0)} req/s` : ''}`,
              );
            }
          }
        }
      } finally {
        await Promise.all([app.stop(), baseline.stop(), before?.stop()]);
      }
      if (values.profile) {
        profile = {
          after: await profileApp(url, keys, callers, seconds * 3, null),
          before: compareDir
            ? await profileApp(url, keys, callers, seconds * 3, compareDir)
            : undefined,
        };
      }
    }

    // 2. Scale curve, plans, export.
    const scale: ScalePoint[] = [];
    let exportRun: BenchResults['exportRun'] = null;
    for (const patients of sizes) {
      const url = urls.get(patients)!;
      const sizeCallers = benchCallers(patients, keys);
      const [app, baseline] = await Promise.all([
        startApp({ databaseUrl: url, keys }),
        startBaseline({ databaseUrl: url, keys }),
      ]);
      try {
        for (const s of [app, baseline])
          for (const route of ['list', 'get'] as const)
            await load(s, sizeCallers['tenant admin'], route, 1, 0.5);
        const latency = await scaleLatency(
          app,
          baseline,
          sizeCallers['tenant admin'],
          quick ? 1 : 2,
          quick ? 1 : 3,
        );
        const plans = await explainScoped(url, [
          sizeCallers['tenant admin'],
          sizeCallers['clinic member'],
        ]);
        scale.push({ patients, vitals: patients * 10, ...latency, plans });
        log(
          `scale ${label(patients)}: app list p50 ${latency.app.list.p50} ms, get p50 ${latency.app.get.p50} ms; seq scans: ${plans.flatMap((p) => p.seqScans).join(', ') || 'none'}`,
        );
        // ~1M vitals rows: the 100k-patient dataset seen by the platform admin.
        if (patients === 100_000) {
          // A small export first (tenant admin, ~10k rows): code paths compiled, pools warm.
          await measureExport(app, sizeCallers['tenant admin'].token);
          exportRun = {
            patients,
            ...(await measureExport(app, sizeCallers['platform admin'].token)),
          };
          log(
            `export: ${exportRun.rows} rows at ${exportRun.rowsPerSecond.toFixed(0)} rows/s, RSS +${exportRun.rssGrowthMb} MB`,
          );
        }
      } finally {
        await Promise.all([app.stop(), baseline.stop()]);
      }
      if (patients === 100_000 && compareDir && exportRun) {
        const before = await startApp({ databaseUrl: url, keys, appDir: compareDir });
        try {
          await measureExport(before, sizeCallers['tenant admin'].token);
          exportRun = {
            ...exportRun,
            before: await measureExport(before, sizeCallers['platform admin'].token),
          };
        } finally {
          await before.stop();
        }
      }
    }

    // 3. Ability micro-benchmarks.
    log('ability micro-benchmarks');
    const micro = await runMicro(quick);

    const results: BenchResults = {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      quick,
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        node: process.version,
        postgres,
        loadAvg: loadAtStart,
        totalMemGb: Math.round(totalmem() / 2 ** 30),
      },
      settings: { runs, seconds, poolMax: POOL_MAX, datasetPatients: base, compare: compareDir },
      cells,
      beforeCells,
      scale,
      exportRun,
      micro,
      profile,
      datasets,
    };
    mkdirSync(join(ROOT, 'var/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'var/bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    render(results);
    log(
      `wrote docs/benchmarks.md and docs/img/bench-scale.svg in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
    );
  } finally {
    await server.stop();
  }
}

/** docs/benchmarks.md (with bench/NOTES.md: the profile findings and changes) and the SVG. */
function render(results: BenchResults): void {
  const targets = evaluateTargets(results);
  const notesPath = join(ROOT, 'bench/NOTES.md');
  const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8').trim() : '';
  mkdirSync(join(ROOT, 'docs/img'), { recursive: true });
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), renderMarkdown(results, targets, notes));
  writeFileSync(join(ROOT, 'docs/img/bench-scale.svg'), renderSvg(results));
  for (const t of targets)
    log(`${t.met === null ? '—' : t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.measured}`);
}

function medianSample(samples: Sample[]): Sample {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    errors: samples.reduce((a, s) => a + s.errors, 0),
    non2xx: samples.reduce((a, s) => a + s.non2xx, 0),
  };
}

/** The app under `--cpu-prof` while list and get run at 64 connections; its self-time summary. */
async function profileApp(
  url: string,
  keys: ReturnType<typeof benchKeys>,
  callers: ReturnType<typeof benchCallers>,
  seconds: number,
  appDir: string | null,
): Promise<ProfileSummary> {
  const dir = join(ROOT, 'var/bench/profile', appDir ? 'before' : 'after');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const app = await startApp({
    databaseUrl: url,
    keys,
    cpuProfDir: dir,
    appDir: appDir ?? undefined,
  });
  const skipMs = app.readyAfterMs + 1000;
  try {
    await load(app, callers['tenant admin'], 'get', 16, 1);
    await load(app, callers['tenant admin'], 'get', 64, seconds / 2);
    await load(app, callers['tenant admin'], 'list', 64, seconds / 2);
  } finally {
    await app.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no CPU profile written');
  log(`CPU profile: ${join(dir, file)}`);
  return summarizeProfile(join(dir, file), 25, skipMs);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
