import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { RouteInventory, type RouteInfo } from '../../src/abilities/route-inventory';
import { startTestApp } from '../harness/test-app';

@Controller('undeclared')
class UndeclaredController {
  @Get()
  leak(): string {
    return 'no rule here';
  }
}
@Module({ controllers: [UndeclaredController] })
class UndeclaredModule {}

const SNAPSHOT = join(__dirname, '../../docs/route-rules.md');

function render(routes: readonly RouteInfo[]): string {
  const rows = routes.map((r) => {
    const rule = r.rule ? `${r.rule.action} ${r.rule.subject}` : '';
    return `| ${r.method} | \`${r.path}\` | ${r.access} | ${rule} | ${r.rule?.feature ?? ''} |`;
  });
  return [
    '# Route rules snapshot',
    '',
    'Every route with its declared access rule, generated from Nest metadata by',
    '`test/e2e/route-rules.e2e-spec.ts`. A change here is a permission change: review it as one.',
    'Regenerate with `UPDATE_ROUTE_SNAPSHOT=1 npm run test:e2e -- --testPathPatterns route-rules`.',
    '',
    '| method | path | access | rule | feature |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

describe('Route rules (e2e)', () => {
  it('the app refuses to start when a route declares no rule, naming it', async () => {
    await expect(startTestApp({ extraImports: [UndeclaredModule] })).rejects.toThrow(
      /Refusing to start: 1 route\(s\) declare no access rule.*GET \/undeclared \(UndeclaredController\.leak\)/,
    );
  });

  it('matches the committed snapshot of every route and its rule (docs/route-rules.md)', async () => {
    const t = await startTestApp();
    try {
      const routes = t.app.get(RouteInventory).list();
      expect(routes.every((r) => r.access !== 'undeclared')).toBe(true);
      const current = render(routes);
      if (process.env.UPDATE_ROUTE_SNAPSHOT === '1') writeFileSync(SNAPSHOT, current);
      expect(current).toBe(readFileSync(SNAPSHOT, 'utf8'));
    } finally {
      await t.close();
    }
  });
});
