import { readFileSync } from 'node:fs';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by package (node_modules/<pkg>, node: internals, src/…, (gc), (idle)). */
  readonly byPackage: { name: string; ms: number; share: number }[];
  readonly topFunctions: { name: string; ms: number; share: number }[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node: core';
  const src = url.indexOf('/src/');
  if (src >= 0)
    return `src/${url
      .slice(src + 5)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url.replace(/^.*\//, '');
}

/** Self time of a V8 .cpuprofile, by package and by function (the flame graph, flattened). */
export function summarizeProfile(path: string, top = 25, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Samples of the first `skipMs` (start-up: module loading, compilation) are left out.
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs >= skipMs * 1000)
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const pkg = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += us;
    const p = packageOf(url, functionName);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const rank = (m: Map<string, number>, n: number): { name: string; ms: number; share: number }[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: us / total }));
  return {
    totalMs: Math.round(total / 1000),
    byPackage: rank(pkg, top),
    topFunctions: rank(fns, top),
  };
}

if (require.main === module) {
  const summary = summarizeProfile(
    process.argv[2],
    Number(process.argv[3] ?? 30),
    Number(process.argv[4] ?? 0),
  );
  console.log(`busy ${summary.totalMs} ms`);
  for (const p of summary.byPackage)
    console.log(`${(p.share * 100).toFixed(1).padStart(5)}%  ${p.name}`);
  console.log('---');
  for (const f of summary.topFunctions)
    console.log(`${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
}
