import { inlineParameters } from './inline-parameters';

describe('inlineParameters', () => {
  it('quotes every kind of value the way node-postgres sends it as text', () => {
    expect(
      inlineParameters('SELECT $1, $2, $3, $4, $5, $6', [
        "O'Brien",
        51,
        null,
        ['a', 'b c'],
        true,
        undefined,
      ]),
    ).toBe(`SELECT 'O''Brien', '51', NULL, '{"a","b c"}', 'true', NULL`);
  });

  it('escapes backslashes with an E string', () => {
    expect(inlineParameters('SELECT $1', ['a\\b'])).toBe(`SELECT  E'a\\\\b'`);
  });

  it('replaces repeated and two-digit placeholders, not their prefixes', () => {
    const values = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
    const sql = `SELECT $1, $11, $1, ${values
      .slice(1, 10)
      .map((_, i) => `$${i + 2}`)
      .join(', ')}`;
    expect(inlineParameters(sql, values)).toBe(
      `SELECT 'v1', 'v11', 'v1', ${values
        .slice(1, 10)
        .map((v) => `'${v}'`)
        .join(', ')}`,
    );
  });

  it('leaves $n alone inside literals, quoted identifiers and comments', () => {
    expect(inlineParameters(`SELECT '$1', 'it''s $1', "a$1" -- $1\n, /* $1 */ $1`, ['x'])).toBe(
      `SELECT '$1', 'it''s $1', "a$1" -- $1\n, /* $1 */ 'x'`,
    );
  });

  it('writes a date as the same timestamp text as a parameter', () => {
    const date = new Date('2026-01-02T03:04:05.678Z');
    expect(inlineParameters('SELECT $1::timestamptz', [date])).toMatch(
      /^SELECT '2026-01-0\dT\d\d:\d\d:05\.678[+-]\d\d:\d\d'::timestamptz$/,
    );
  });

  it('reads a quote after a word ending in e as a plain literal, not an E string', () => {
    expect(inlineParameters("SELECT 'a' WHERE name LIKE'x%' AND $1 = 'e'", ['v'])).toBe(
      "SELECT 'a' WHERE name LIKE'x%' AND 'v' = 'e'",
    );
  });

  it('refuses what it cannot inline safely', () => {
    expect(() => inlineParameters('SELECT $$x$$', [])).toThrow(/dollar-quoted/);
    expect(() => inlineParameters('SELECT $2', ['a'])).toThrow(/no value for \$2/);
    expect(() => inlineParameters('SELECT $1', ['a', 'b'])).toThrow(/has no placeholder/);
    expect(() => inlineParameters("SELECT E'\\n' || $1", ['a'])).toThrow(/E''/);
    expect(() => inlineParameters("SELECT (e'x') || $1", ['a'])).toThrow(/E''/);
    expect(() => inlineParameters("SELECT 'open", [])).toThrow(/unterminated/);
    expect(() => inlineParameters('SELECT $1', [Buffer.from('x')])).toThrow(/binary/);
  });
});
