import {
  AGENT_SYNONYMS,
  INTERACTION_DISCLAIMER,
  INTERACTION_SEVERITIES,
  INTERACTION_TABLE,
  checkInteractions,
  normalizeAgent,
} from './interactions';

function findRow(substance: string, agent: string) {
  return INTERACTION_TABLE.find((row) => row.substance === substance && row.agent === agent);
}

describe('INTERACTION_TABLE (illustrative reference data)', () => {
  it('labels every row as illustrative reference data and cites a source', () => {
    for (const row of INTERACTION_TABLE) {
      expect(row.note.startsWith('ILLUSTRATIVE REFERENCE DATA, not clinical advice.')).toBe(true);
      expect(row.source.length).toBeGreaterThan(10);
      expect(INTERACTION_SEVERITIES).toContain(row.severity);
    }
    expect(INTERACTION_DISCLAIMER).toMatch(/^ILLUSTRATIVE REFERENCE DATA, not clinical advice/);
  });

  it('uses canonical lower-case names and never lists a pair twice, in either direction', () => {
    const seen = new Set<string>();
    for (const row of INTERACTION_TABLE) {
      expect(row.substance).toBe(row.substance.trim().toLowerCase());
      expect(row.agent).toBe(row.agent.trim().toLowerCase());
      const pair = [row.substance, row.agent].sort().join('|');
      expect(seen.has(pair)).toBe(false);
      seen.add(pair);
    }
  });

  it.each([
    ['ibogaine', 'buprenorphine', 'contraindicated'],
    ['ibogaine', 'methadone', 'contraindicated'],
    ['ibogaine', 'ondansetron', 'contraindicated'],
    ['ibogaine', 'citalopram', 'contraindicated'],
    ['ibogaine', 'escitalopram', 'contraindicated'],
    ['ibogaine', 'haloperidol', 'contraindicated'],
    ['ibogaine', 'amiodarone', 'contraindicated'],
    ['ibogaine', 'azithromycin', 'contraindicated'],
    ['ibogaine', 'sotalol', 'contraindicated'],
    ['psilocybin', 'lithium', 'contraindicated'],
    ['lsd', 'lithium', 'contraindicated'],
    ['mdma', 'phenelzine', 'contraindicated'],
    ['mdma', 'tranylcypromine', 'contraindicated'],
    ['mdma', 'isocarboxazid', 'contraindicated'],
    ['mdma', 'selegiline', 'contraindicated'],
    ['mdma', 'moclobemide', 'contraindicated'],
    ['mdma', 'fluoxetine', 'major'],
    ['mdma', 'sertraline', 'major'],
    ['mdma', 'paroxetine', 'major'],
    ['mdma', 'citalopram', 'major'],
    ['mdma', 'escitalopram', 'major'],
    ['mdma', 'fluvoxamine', 'major'],
    ['ketamine', 'lamotrigine', 'moderate'],
    ['ketamine', 'lorazepam', 'moderate'],
    ['psilocybin', 'escitalopram', 'minor'],
  ])('has %s × %s as %s', (substance, agent, severity) => {
    expect(findRow(substance, agent)?.severity).toBe(severity);
  });

  it('cites the QT literature on the ibogaine QT rows', () => {
    expect(findRow('ibogaine', 'ondansetron')?.source).toContain('Koenig & Hilber 2015');
    expect(findRow('psilocybin', 'lithium')?.source).toContain('Nayak et al. 2021');
  });
});

describe('AGENT_SYNONYMS', () => {
  it('has normalised keys that all point at names in the table', () => {
    const tableNames = new Set(INTERACTION_TABLE.flatMap((row) => [row.substance, row.agent]));
    for (const [alias, canonical] of Object.entries(AGENT_SYNONYMS)) {
      expect(alias).toBe(alias.trim().replace(/\s+/g, ' ').toLowerCase());
      expect(tableNames.has(canonical)).toBe(true);
    }
  });
});

describe('normalizeAgent', () => {
  it.each([
    ['Suboxone', 'buprenorphine'],
    ['  SUBUTEX ', 'buprenorphine'],
    ['Sublocade', 'buprenorphine'],
    ['Zubsolv', 'buprenorphine'],
    ['Dolophine', 'methadone'],
    ['Methadose', 'methadone'],
    ['Prozac', 'fluoxetine'],
    ['Zoloft', 'sertraline'],
    ['Paxil', 'paroxetine'],
    ['Celexa', 'citalopram'],
    ['Lexapro', 'escitalopram'],
    ['Nardil', 'phenelzine'],
    ['Parnate', 'tranylcypromine'],
    ['Emsam', 'selegiline'],
    ['Lithobid', 'lithium'],
    ['Eskalith', 'lithium'],
    ['Zofran', 'ondansetron'],
    ['Haldol', 'haloperidol'],
    ['Lamictal', 'lamotrigine'],
    ['Ibogaine HCl', 'ibogaine'],
    ['TPA', 'ibogaine'],
    ['Total   Plant  Alkaloids', 'ibogaine'],
    ['iboga', 'ibogaine'],
    ['Molly', 'mdma'],
    ['Ecstasy', 'mdma'],
    ['Magic Mushrooms', 'psilocybin'],
    ['psilocin', 'psilocybin'],
    ['Spravato', 'ketamine'],
    ['esketamine', 'ketamine'],
    ['Suboxone®', 'buprenorphine'],
    ['MDMA', 'mdma'],
    ['Ibuprofen', 'ibuprofen'],
  ])('%p → %p', (typed, canonical) => {
    expect(normalizeAgent(typed)).toBe(canonical);
  });

  it('is not fooled by Object.prototype keys', () => {
    expect(normalizeAgent('constructor')).toBe('constructor');
    expect(normalizeAgent('__proto__')).toBe('__proto__');
    expect(normalizeAgent('toString')).toBe('tostring');
  });
});

describe('checkInteractions', () => {
  it('flags ibogaine with Suboxone as buprenorphine, contraindicated, noting the brand', () => {
    const result = checkInteractions({ substances: ['ibogaine'], medications: ['Suboxone'] });
    expect(result.interactions).toEqual([
      {
        substance: 'ibogaine',
        agent: 'buprenorphine',
        severity: 'contraindicated',
        note: findRow('ibogaine', 'buprenorphine')?.note,
        source: findRow('ibogaine', 'buprenorphine')?.source,
        matchedAs: { agent: 'Suboxone' },
      },
    ]);
    expect(result.unrecognized).toEqual([]);
    expect(result.disclaimer).toBe(INTERACTION_DISCLAIMER);
  });

  it('does not report matchedAs for a mere difference in case or spacing', () => {
    const [interaction] = checkInteractions({
      substances: [' Ibogaine '],
      medications: ['BUPRENORPHINE'],
    }).interactions;
    expect(interaction.agent).toBe('buprenorphine');
    expect(interaction).not.toHaveProperty('matchedAs');
  });

  it('reports matchedAs on both sides when both were aliases', () => {
    const [interaction] = checkInteractions({
      substances: ['TPA'],
      medications: ['Dolophine'],
    }).interactions;
    expect(interaction).toMatchObject({
      substance: 'ibogaine',
      agent: 'methadone',
      matchedAs: { substance: 'TPA', agent: 'Dolophine' },
    });
  });

  it('sorts by severity (contraindicated first), then by name', () => {
    const result = checkInteractions({
      substances: ['psilocybin', 'mdma', 'ketamine'],
      medications: ['Lexapro', 'Lithobid', 'Lamictal', 'Nardil'],
    });
    expect(
      result.interactions.map(({ substance, agent, severity }) => [substance, agent, severity]),
    ).toEqual([
      ['mdma', 'phenelzine', 'contraindicated'],
      ['psilocybin', 'lithium', 'contraindicated'],
      ['mdma', 'escitalopram', 'major'],
      ['ketamine', 'lamotrigine', 'moderate'],
      ['psilocybin', 'escitalopram', 'minor'],
    ]);
  });

  it('checks substances against each other, in either direction of the table', () => {
    // A patient whose "substances" list carries both a psychedelic and a drug on the table.
    const result = checkInteractions({ substances: ['Methadose', 'iboga'] });
    expect(result.interactions).toHaveLength(1);
    expect(result.interactions[0]).toMatchObject({
      substance: 'ibogaine',
      agent: 'methadone',
      severity: 'contraindicated',
      matchedAs: { substance: 'iboga', agent: 'Methadose' },
    });
  });

  it('matches a medication listed under its table name in either direction', () => {
    // The table row is ibogaine × citalopram; here the substance list holds the agent.
    const result = checkInteractions({ substances: ['citalopram'], medications: ['ibogaine'] });
    expect(result.interactions.map((i) => [i.substance, i.agent])).toEqual([
      ['ibogaine', 'citalopram'],
    ]);
  });

  it('reports each table row once however many inputs map onto it', () => {
    const result = checkInteractions({
      substances: ['ibogaine', 'Ibogaine HCl'],
      medications: ['Suboxone', 'Subutex', 'buprenorphine'],
    });
    expect(result.interactions).toHaveLength(1);
    expect(result.interactions[0].matchedAs).toEqual({ agent: 'Suboxone' });
  });

  it('lists every QT-prolonging medication for ibogaine individually', () => {
    const result = checkInteractions({
      substances: ['ibogaine'],
      medications: [
        'Zofran',
        'Celexa',
        'Lexapro',
        'Haldol',
        'amiodarone',
        'azithromycin',
        'sotalol',
      ],
    });
    expect(result.interactions.map((i) => i.agent)).toEqual([
      'amiodarone',
      'azithromycin',
      'citalopram',
      'escitalopram',
      'haloperidol',
      'ondansetron',
      'sotalol',
    ]);
    expect(result.interactions.every((i) => i.severity === 'contraindicated')).toBe(true);
  });

  it('does not check medications against each other', () => {
    // Lithium and psilocybin are both here, but only as medications.
    expect(
      checkInteractions({ substances: ['ketamine'], medications: ['lithium', 'psilocybin'] })
        .interactions,
    ).toEqual([]);
  });

  it('returns nothing for no inputs, blank names or harmless pairs', () => {
    expect(checkInteractions({ substances: [] }).interactions).toEqual([]);
    expect(checkInteractions({ substances: ['  '], medications: [''] })).toEqual({
      interactions: [],
      unrecognized: [],
      disclaimer: INTERACTION_DISCLAIMER,
    });
    expect(checkInteractions({ substances: ['ketamine'], medications: ['sertraline'] })).toEqual({
      interactions: [],
      unrecognized: [],
      disclaimer: INTERACTION_DISCLAIMER,
    });
  });

  it('lists names the table does not know, once each, as typed', () => {
    const result = checkInteractions({
      substances: ['ibogaine', 'Ayahuasca'],
      medications: ['Ibuprofen', 'ibuprofen ', 'Suboxone'],
    });
    expect(result.unrecognized).toEqual(['Ayahuasca', 'Ibuprofen']);
    expect(result.interactions.map((i) => i.agent)).toEqual(['buprenorphine']);
  });
});
