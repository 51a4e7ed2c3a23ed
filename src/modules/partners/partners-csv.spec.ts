import { parsePartnerCsv, splitCsvLine } from './partners-csv';

const NOW = new Date('2026-03-01T00:00:00Z');

describe('partner CSV (invite-partners)', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a@x.test,"Allen, Jason ""JA""",partner_free,')).toEqual([
      'a@x.test',
      'Allen, Jason "JA"',
      'partner_free',
      '',
    ]);
  });

  it('parses good lines, skips header, blanks and comments', () => {
    const { rows, problems } = parsePartnerCsv(
      'email,displayName,tier,tierExpiresAt\n\n# wave 1\nA@X.test,Dr A,partner_free,\nb@x.test,Observer B,beta_observer,2026-04-01T00:00:00Z\n',
      NOW,
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 4,
        email: 'a@x.test',
        displayName: 'Dr A',
        tier: 'partner_free',
        tierExpiresAt: undefined,
      },
      {
        line: 5,
        email: 'b@x.test',
        displayName: 'Observer B',
        tier: 'beta_observer',
        tierExpiresAt: '2026-04-01T00:00:00.000Z',
      },
    ]);
  });

  it('reports every bad line by number', () => {
    const { rows, problems } = parsePartnerCsv(
      [
        'ok@x.test,OK,partner_paid',
        'not-an-email,X,partner_free',
        'c@x.test,C,user_pro',
        'd@x.test,D,beta_observer',
        'e@x.test,E,partner_free,yesterday',
        'f@x.test,F,partner_free,2020-01-01T00:00:00Z',
        'ok@x.test,Dup,partner_free',
        'too,few',
      ].join('\n'),
      NOW,
    );
    expect(rows.map((r) => r.line)).toEqual([1]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(problems[2].message).toMatch(/required for beta_observer/);
    expect(problems[5].message).toMatch(/already appears on line 1/);
  });
});
