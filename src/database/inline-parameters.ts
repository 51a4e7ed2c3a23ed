import { escapeLiteral } from 'pg';
// pg's own conversion of a parameter to its text form (arrays, dates, JSON, booleans).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as {
  prepareValue: (value: unknown) => string | Buffer | null;
};

/**
 * `sql` with each `$n` replaced by `values[n - 1]` as a quoted literal, for the simple-query
 * protocol, which carries no parameters. Each value is converted to text exactly as node-postgres
 * converts a parameter (prepareValue) and quoted by pg's escapeLiteral, so PostgreSQL sees an
 * untyped literal where it would have seen an untyped parameter, and infers the same type.
 *
 * Placeholders are recognised outside quoted literals, quoted identifiers and comments only;
 * dollar-quoted strings, E'' strings and binary values are refused rather than guessed at,
 * as are placeholders without a value and values without a placeholder.
 */
export function inlineParameters(sql: string, values: readonly unknown[]): string {
  const used = new Set<number>();
  let out = '';
  let i = 0;
  const copyUntil = (closing: string, from: number): number => {
    const end = sql.indexOf(closing, from);
    if (end < 0) throw new Error('inlineParameters: unterminated quote or comment');
    return end + closing.length;
  };
  while (i < sql.length) {
    const ch = sql[i];
    let next = i + 1;
    if (ch === "'") {
      // '' inside a literal is an escaped quote: two adjacent literals parse the same way here.
      // An E (or e) standing alone before the quote makes it an escape string, where \' ends
      // nothing: refused. After an identifier character it is just the end of a word.
      if (/[eE]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_$]/.test(sql[i - 2] ?? ' '))
        throw new Error("inlineParameters: E'' strings are not supported");
      next = copyUntil("'", i + 1);
    } else if (ch === '"') {
      next = copyUntil('"', i + 1);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      next = end < 0 ? sql.length : end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      next = copyUntil('*/', i + 2);
    } else if (ch === '$') {
      const match = /^\$(\d+)/.exec(sql.slice(i));
      if (!match) throw new Error('inlineParameters: dollar-quoted strings are not supported');
      if (/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' '))
        throw new Error('inlineParameters: $ inside an identifier is not supported');
      const index = Number(match[1]);
      if (index < 1 || index > values.length)
        throw new Error(`inlineParameters: no value for $${index}`);
      used.add(index);
      out += literal(values[index - 1]);
      i += match[0].length;
      continue;
    }
    out += sql.slice(i, next);
    i = next;
  }
  if (used.size !== values.length) throw new Error('inlineParameters: a value has no placeholder');
  return out;
}

function literal(value: unknown): string {
  const text = prepareValue(value);
  if (text === null) return 'NULL';
  if (typeof text !== 'string')
    throw new Error('inlineParameters: binary values are not supported');
  return escapeLiteral(text);
}
