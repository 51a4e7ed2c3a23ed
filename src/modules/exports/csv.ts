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
