import { Client } from 'pg';
import { csvField, csvFieldSql } from '../../src/modules/exports/csv';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

/**
 * The exports render CSV lines in PostgreSQL (csvFieldSql) with the rules of csvField: both
 * must give the same field for every value, awkward ones above all.
 */
describe('CSV rendered by PostgreSQL = csvField (e2e)', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const render = async (sql: string, value: unknown): Promise<string> =>
    (await client.query<{ field: string }>(`SELECT ${sql} AS field`, [value])).rows[0].field;

  const TEXTS = [
    'plain',
    '',
    'a,b',
    'say "hi"',
    'line\nbreak',
    'cr\rhere',
    ' leading space',
    'trailing space ',
    '\tleading tab',
    '=SUM(A1:A9)',
    '+1',
    '-42',
    '@import',
    "it's",
    '=a,"b"',
    'back\\slash',
    'ünïcödé ✓',
    "'already quoted",
  ];

  it('text: the same field for each value, and NULL → empty', async () => {
    for (const value of [...TEXTS, null]) {
      expect({ value, field: await render(csvFieldSql('$1::text', 'text'), value) }).toEqual({
        value,
        field: csvField(value),
      });
    }
  });

  it('decimals rendered as text: guarded like any text that starts with -', async () => {
    for (const value of ['36.6', '491.9', '-0.5', '0', null])
      expect(await render(csvFieldSql('$1::numeric::text', 'decimal'), value)).toBe(
        csvField(value),
      );
  });

  it('numbers and booleans: plain, never guarded (negative numbers stay numbers)', async () => {
    for (const value of [0, 7, -5, 120, null])
      expect(await render(csvFieldSql('$1::int', 'number'), value)).toBe(csvField(value));
    for (const value of [true, false, null])
      expect(await render(csvFieldSql('$1::boolean', 'boolean'), value)).toBe(csvField(value));
  });

  it('safe columns pass through (their CHECK constraints keep them plain)', async () => {
    for (const value of ['AB12CD34EF', 'TEST-AB12CD34EF', 'intake', null])
      expect(await render(csvFieldSql('$1::text', 'safe'), value)).toBe(csvField(value));
  });
});
