/**
 * Parsing and validation of benchmark cohort CSV files (`npm run cli -- import-cohorts FILE.csv`).
 * Pure functions: no NestJS, no database, no I/O.
 *
 * Format: RFC 4180 (quoted fields may hold commas, doubled quotes and line breaks), LF or CRLF;
 * a header row naming COHORT_COLUMNS in any order; lines starting with `#` and blank lines are
 * ignored (the sample file uses them for its "illustrative" banner).
 */

export const COHORT_COLUMNS = [
  'cohort',
  'substance',
  'indication',
  'n',
  'instrument',
  'baseline_mean',
  'followup_mean',
  'followup_weeks',
  'source_citation',
  'licence',
] as const;
export type CohortColumn = (typeof COHORT_COLUMNS)[number];

export interface CohortRow {
  readonly cohort: string;
  readonly substance: string;
  readonly indication: string;
  readonly n: number;
  readonly instrument: string;
  readonly baselineMean: number;
  readonly followupMean: number;
  readonly followupWeeks: number;
  readonly sourceCitation: string;
  readonly licence: string;
}

export interface LineProblem {
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
  readonly field: string | null;
  readonly message: string;
}

export interface ParsedCohorts {
  readonly rows: (CohortRow & { readonly line: number })[];
  readonly problems: LineProblem[];
}

interface RawRecord {
  readonly line: number;
  readonly fields: string[];
}

/** Splits CSV text into records, keeping the line each starts on. */
export function parseCsvRecords(text: string): { records: RawRecord[]; problems: LineProblem[] } {
  const records: RawRecord[] = [];
  const problems: LineProblem[] = [];
  let line = 1;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length) {
    const startLine = line;
    // Comment and blank lines (outside quotes) are skipped whole.
    if (body[i] === '#' || body[i] === '\n' || (body[i] === '\r' && body[i + 1] === '\n')) {
      while (i < body.length && body[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let ended = false;
    while (i < body.length && !ended) {
      const c = body[i];
      if (quoted) {
        if (c === '"' && body[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
        continue;
      }
      if (c === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        i++;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (c === '\n' || (c === '\r' && body[i + 1] === '\n')) {
        i += c === '\r' ? 2 : 1;
        line++;
        ended = true;
      } else {
        field += c;
        atFieldStart = false;
        i++;
      }
    }
    if (quoted)
      problems.push({ line: startLine, field: null, message: 'unterminated quoted field' });
    fields.push(field);
    records.push({ line: startLine, fields });
  }
  return { records, problems };
}

const TEXT_LIMITS: Readonly<
  Record<
    'cohort' | 'substance' | 'indication' | 'instrument' | 'source_citation' | 'licence',
    number
  >
> = {
  cohort: 200,
  substance: 100,
  indication: 200,
  instrument: 50,
  source_citation: 1000,
  licence: 100,
};

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Parses and validates a whole file: every bad row is reported with its line number. */
export function parseCohortsCsv(text: string): ParsedCohorts {
  const { records, problems } = parseCsvRecords(text);
  const rows: (CohortRow & { line: number })[] = [];
  const [header, ...data] = records;
  if (!header)
    return {
      rows,
      problems: [...problems, { line: 1, field: null, message: 'the file has no header row' }],
    };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = COHORT_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(COHORT_COLUMNS as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    return {
      rows,
      problems: [
        ...problems,
        { line: header.line, field: null, message: `header: ${parts.join('; ')}` },
      ],
    };
  }
  const index = Object.fromEntries(COHORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    CohortColumn,
    number
  >;
  const seen = new Map<string, number>();

  for (const record of data) {
    const rowProblems: LineProblem[] = [];
    const problem = (field: string | null, message: string): void =>
      void rowProblems.push({ line: record.line, field, message });
    if (record.fields.length !== names.length) {
      problem(null, `expected ${names.length} fields, got ${record.fields.length}`);
      problems.push(...rowProblems);
      continue;
    }
    const value = (column: CohortColumn): string => record.fields[index[column]].trim();
    const text = (column: keyof typeof TEXT_LIMITS): string => {
      const v = value(column);
      if (v.length === 0) problem(column, 'must not be empty');
      else if (v.length > TEXT_LIMITS[column])
        problem(column, `must be at most ${TEXT_LIMITS[column]} characters`);
      return v;
    };
    const number = (column: CohortColumn, check: (n: number) => boolean, rule: string): number => {
      const v = value(column);
      const parsed = NUMBER.test(v) ? Number(v) : Number.NaN;
      if (!Number.isFinite(parsed) || !check(parsed))
        problem(column, `must be ${rule}, got "${v}"`);
      return parsed;
    };
    const row = {
      line: record.line,
      cohort: text('cohort'),
      substance: text('substance').toLowerCase(),
      indication: text('indication'),
      n: number('n', (n) => Number.isInteger(n) && n > 0 && n <= 10_000_000, 'a positive integer'),
      instrument: text('instrument').toUpperCase(),
      baselineMean: number('baseline_mean', (n) => Math.abs(n) < 100_000, 'a number'),
      followupMean: number('followup_mean', (n) => Math.abs(n) < 100_000, 'a number'),
      followupWeeks: number('followup_weeks', (n) => n >= 0 && n < 100_000, 'a number ≥ 0'),
      sourceCitation: text('source_citation'),
      licence: text('licence'),
    };
    const key = [row.cohort, row.substance, row.indication, row.instrument]
      .join('\u0000')
      .toLowerCase();
    const firstLine = seen.get(key);
    if (firstLine !== undefined)
      problem(
        null,
        `duplicate of line ${firstLine} (same cohort, substance, indication, instrument)`,
      );
    else seen.set(key, record.line);
    if (rowProblems.length) problems.push(...rowProblems);
    else rows.push(row);
  }
  return { rows, problems };
}
