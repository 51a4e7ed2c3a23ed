import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_MATRIX } from './feature-matrix';
import { FEATURES } from './features';
import { TIERS } from './tiers';

// The CSV is the spec; the committed fixture is a copy so the test runs without shared/.
const FIXTURE = join(__dirname, '../../test/fixtures/feature-matrix.csv');
const SPEC = join(__dirname, '../../../shared/spec/feature-matrix.csv');

function parseCsv(text: string): Map<string, Map<string, string>> {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const tiers = header.split(',').slice(1);
  return new Map(
    rows.map((row) => {
      const [feature, ...levels] = row.split(',');
      return [feature, new Map(tiers.map((tier, i) => [tier, levels[i]]))];
    }),
  );
}

describe('FEATURE_MATRIX', () => {
  const csv = parseCsv(readFileSync(FIXTURE, 'utf8'));

  it('has exactly the features and tiers of the CSV', () => {
    expect([...csv.keys()].sort()).toEqual([...FEATURES].sort());
    for (const levels of csv.values()) expect([...levels.keys()].sort()).toEqual([...TIERS].sort());
  });

  it.each(FEATURES.flatMap((f) => TIERS.map((t) => [f, t] as const)))(
    '%s for %s matches the CSV',
    (feature, tier) => {
      expect(FEATURE_MATRIX[feature][tier]).toBe(csv.get(feature)?.get(tier));
    },
  );

  // CI clones the repo with shared/ beside it; the fixture must not drift from the spec.
  it('fixture is identical to shared/spec/feature-matrix.csv', () => {
    expect(existsSync(SPEC)).toBe(true);
    expect(readFileSync(FIXTURE, 'utf8').trim()).toBe(readFileSync(SPEC, 'utf8').trim());
  });
});
