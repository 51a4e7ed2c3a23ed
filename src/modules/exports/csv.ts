/**
 * RFC 4180 CSV: fields with a comma, quote, CR or LF (or edge spaces) are quoted, quotes
 * doubled; lines end with CRLF. Text that a spreadsheet would run as a formula (leading `=`,
 * `+`, `-`, `@`, tab or CR) is prefixed with an apostrophe (OWASP "CSV injection"); numbers
 * are never touched, so negative values stay numbers.
 */
export type CsvValue = string | number | boolean | null | undefined | readonly (string | number)[];

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = Array.isArray(value) ? value.join(';') : (value as string);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * How PostgreSQL renders a column exactly as csvField renders its JavaScript value, so that
 * whole CSV lines can be built in SQL and streamed by COPY without a JavaScript object per row:
 * - `text`: any text (free text above all): formula guard, then quoting (csvTextSql);
 * - `safe`: text that cannot start with a formula character nor need quotes, by its type or its
 *   table's CHECK constraint (uuids, ISO timestamps, subject ids, enumerated values): as is;
 * - `decimal`: a number rendered as text (numeric columns): only the guard of a leading `-` can
 *   apply (csvField sees a string), digits and `.` never need quotes;
 * - `number`, `boolean`: JavaScript numbers and booleans, never guarded or quoted.
 * NULL is always the empty field. test/e2e/csv-sql.e2e-spec.ts compares both on awkward values.
 */
export type CsvSqlKind = 'text' | 'safe' | 'decimal' | 'number' | 'boolean';

export function csvFieldSql(expression: string, kind: CsvSqlKind): string {
  switch (kind) {
    case 'text':
      return csvTextSql(expression);
    case 'safe':
      return `COALESCE(${expression}, '')`;
    case 'decimal':
      return `COALESCE(CASE WHEN ${expression} LIKE '-%' THEN '''' || ${expression} ELSE ${expression} END, '')`;
    case 'number':
      return `COALESCE((${expression})::text, '')`;
    case 'boolean':
      return `(CASE WHEN ${expression} THEN 'true' WHEN NOT ${expression} THEN 'false' ELSE '' END)`;
  }
}

/** csvField of a text expression in SQL (same regular expressions, PostgreSQL's syntax). */
function csvTextSql(expression: string): string {
  const guarded = `(CASE WHEN ${expression} ~ '^[=+\\-@\\t\\r]' THEN '''' || ${expression} ELSE ${expression} END)`;
  return `COALESCE(CASE WHEN ${guarded} ~ '[",\\r\\n]|^\\s|\\s$' THEN '"' || replace(${guarded}, '"', '""') || '"' ELSE ${guarded} END, '')`;
}

/** One CSV line, without its CRLF, from fields rendered by csvFieldSql. */
export function csvLineSql(fields: readonly string[]): string {
  return `concat_ws(',', ${fields.join(', ')})`;
}
