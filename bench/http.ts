import autocannon from 'autocannon';
import type { BenchCaller, CallerKind } from './lib/callers';
import type { RunningServer } from './lib/servers';

export type Route = 'list' | 'get';
export const ROUTE_LABEL: Record<Route, string> = {
  list: 'GET /patients',
  get: 'GET /patients/:id',
};

export interface Sample {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface Cell {
  readonly caller: CallerKind;
  readonly route: Route;
  readonly connections: number;
  readonly app: Sample;
  readonly baseline: Sample;
  /** Every run, for the record (medians above). */
  readonly runs: { app: Sample[]; baseline: Sample[] };
}

/** One bounded autocannon run (loopback) against one server. */
export async function load(
  server: RunningServer,
  caller: BenchCaller,
  route: Route,
  connections: number,
  seconds: number,
): Promise<Sample> {
  let next = 0;
  const ids = caller.patientIds;
  const result = await autocannon({
    url: server.base,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: { authorization: `Bearer ${caller.token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: route === 'list' ? '/patients' : `/patients/${ids[next++ % ids.length]}`,
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianSample(samples: readonly Sample[]): Sample {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    errors: samples.reduce((a, s) => a + s.errors, 0),
    non2xx: samples.reduce((a, s) => a + s.non2xx, 0),
  };
}

/**
 * App and baseline alternately (order flipped every run, so drift in the machine's load
 * falls on both), `runs` times per cell; medians per server.
 */
export async function measureCell(
  app: RunningServer,
  baseline: RunningServer,
  caller: BenchCaller,
  route: Route,
  connections: number,
  runs: number,
  seconds: number,
): Promise<Cell> {
  const appRuns: Sample[] = [];
  const baseRuns: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [app, baseline] : [baseline, app];
    for (const server of order) {
      const sample = await load(server, caller, route, connections, seconds);
      (server === app ? appRuns : baseRuns).push(sample);
    }
  }
  return {
    caller: caller.kind as CallerKind,
    route,
    connections,
    app: medianSample(appRuns),
    baseline: medianSample(baseRuns),
    runs: { app: appRuns, baseline: baseRuns },
  };
}
