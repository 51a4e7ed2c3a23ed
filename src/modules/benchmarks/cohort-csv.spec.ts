import { parseCohortsCsv, parseCsvRecords } from './cohort-csv';

const HEADER =
  'cohort,substance,indication,n,instrument,baseline_mean,followup_mean,followup_weeks,source_citation,licence';

describe('parseCsvRecords', () => {
  it('handles quotes, doubled quotes, embedded commas and line breaks, CRLF and comments', () => {
    const { records, problems } = parseCsvRecords(
      '# banner\r\na,"b, ""c""",d\r\n\r\n"multi\nline",x,y\n',
    );
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 2, fields: ['a', 'b, "c"', 'd'] },
      { line: 4, fields: ['multi\nline', 'x', 'y'] },
    ]);
  });

  it('reports an unterminated quote', () => {
    expect(parseCsvRecords('a,"b\n').problems).toEqual([
      { line: 1, field: null, message: 'unterminated quoted field' },
    ]);
  });
});

describe('parseCohortsCsv', () => {
  it('parses valid rows (header in any order), normalising substance and instrument', () => {
    const text = `${HEADER}\nA,Psilocybin,TRD,24,phq9,18.5,9.25,8,"Doe 2020, J X",CC BY 4.0\n`;
    const { rows, problems } = parseCohortsCsv(text);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        cohort: 'A',
        substance: 'psilocybin',
        indication: 'TRD',
        n: 24,
        instrument: 'PHQ9',
        baselineMean: 18.5,
        followupMean: 9.25,
        followupWeeks: 8,
        sourceCitation: 'Doe 2020, J X',
        licence: 'CC BY 4.0',
      },
    ]);
  });

  it('reports every bad row by line number and field', () => {
    const text = [
      HEADER,
      'A,psilocybin,TRD,0,PHQ9,18,9,8,src,CC BY 4.0',
      'B,psilocybin,TRD,10,PHQ9,abc,9,-1,src,CC BY 4.0',
      'C,psilocybin,TRD,10,PHQ9,18,9,8,src',
      'D,mdma,PTSD,10,CAPS5,18,9,8,src,CC BY 4.0',
      'D,MDMA,PTSD,12,caps5,18,9,8,src,CC BY 4.0',
      ',mdma,PTSD,12,caps5,18,9,8,,CC BY 4.0',
    ].join('\n');
    const { rows, problems } = parseCohortsCsv(text);
    expect(rows.map((r) => r.cohort)).toEqual(['D']);
    expect(problems).toEqual([
      { line: 2, field: 'n', message: 'must be a positive integer, got "0"' },
      { line: 3, field: 'baseline_mean', message: 'must be a number, got "abc"' },
      { line: 3, field: 'followup_weeks', message: 'must be a number ≥ 0, got "-1"' },
      { line: 4, field: null, message: 'expected 10 fields, got 9' },
      {
        line: 6,
        field: null,
        message: 'duplicate of line 5 (same cohort, substance, indication, instrument)',
      },
      { line: 7, field: 'cohort', message: 'must not be empty' },
      { line: 7, field: 'source_citation', message: 'must not be empty' },
    ]);
  });

  it('rejects a wrong header', () => {
    expect(parseCohortsCsv('cohort,substance\n').problems[0].message).toMatch(
      /^header: missing indication/,
    );
  });
});
