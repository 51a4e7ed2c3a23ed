import {
  INSTRUMENT_ITEM_SPECS,
  INSTRUMENTS,
  InvalidAnswersError,
  MEQ30_SUBSCALE_ITEMS,
  isInstrument,
  scoreAssessment,
  validateAnswers,
} from './scoring';

/** Builds answers summing to `total` by filling items with `max` from the front. */
function answersSummingTo(total: number, itemCount: number, max: number): number[] {
  const answers: number[] = [];
  let remaining = total;
  for (let i = 0; i < itemCount; i += 1) {
    const value = Math.min(max, remaining);
    answers.push(value);
    remaining -= value;
  }
  if (remaining !== 0) throw new Error(`cannot reach ${total} with ${itemCount} items`);
  return answers;
}

/** 30 MEQ answers from a 1-based item → value map, every other item `fill`. */
function meqAnswers(fill: number, overrides: Readonly<Record<number, number>> = {}): number[] {
  return Array.from({ length: 30 }, (_, index) => overrides[index + 1] ?? fill);
}

describe('instrument table', () => {
  it('lists the four instruments of the contract', () => {
    expect(INSTRUMENTS).toEqual(['PHQ9', 'GAD7', 'CSSRS', 'MEQ30']);
    expect(isInstrument('PHQ9')).toBe(true);
    expect(isInstrument('phq9')).toBe(false);
    expect(isInstrument(9)).toBe(false);
  });

  it('has the published item counts', () => {
    expect(INSTRUMENT_ITEM_SPECS.PHQ9.itemCount).toBe(9);
    expect(INSTRUMENT_ITEM_SPECS.GAD7.itemCount).toBe(7);
    expect(INSTRUMENT_ITEM_SPECS.CSSRS.itemCount).toBe(6);
    expect(INSTRUMENT_ITEM_SPECS.MEQ30.itemCount).toBe(30);
  });
});

describe('validateAnswers', () => {
  it('accepts valid answers for every instrument', () => {
    expect(validateAnswers('PHQ9', [0, 1, 2, 3, 0, 1, 2, 3, 0])).toEqual([]);
    expect(validateAnswers('GAD7', [3, 3, 3, 3, 3, 3, 3])).toEqual([]);
    expect(validateAnswers('CSSRS', [1, 0, 1, 0, 0, 0])).toEqual([]);
    expect(validateAnswers('MEQ30', meqAnswers(5))).toEqual([]);
  });

  it('rejects an unknown instrument', () => {
    expect(validateAnswers('BDI', [1, 2])).toEqual([
      { field: 'instrument', message: 'must be one of PHQ9, GAD7, CSSRS, MEQ30' },
    ]);
  });

  it('rejects a non-array', () => {
    for (const notAnArray of [undefined, null, 'xxxxx', 5, { 0: 1 }]) {
      expect(validateAnswers('PHQ9', notAnArray)).toEqual([
        { field: 'answers', message: 'must be an array of numbers' },
      ]);
    }
  });

  it('reports a wrong item count on `answers`', () => {
    expect(validateAnswers('PHQ9', [0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { field: 'answers', message: 'PHQ9 expects exactly 9 answers, got 8' },
    ]);
    expect(validateAnswers('GAD7', [0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { field: 'answers', message: 'GAD7 expects exactly 7 answers, got 8' },
    ]);
    expect(validateAnswers('CSSRS', [])).toEqual([
      { field: 'answers', message: 'CSSRS expects exactly 6 answers, got 0' },
    ]);
    expect(validateAnswers('MEQ30', meqAnswers(1).slice(0, 29))).toEqual([
      { field: 'answers', message: 'MEQ30 expects exactly 30 answers, got 29' },
    ]);
  });

  it('names each offending item, zero-based in the field and one-based in the message', () => {
    const problems = validateAnswers('PHQ9', [0, 1, 2, 4, -1, 1.5, Number.NaN, 3, 0]);
    expect(problems).toEqual([
      { field: 'answers[3]', message: 'item 4 must be an integer from 0 to 3' },
      { field: 'answers[4]', message: 'item 5 must be an integer from 0 to 3' },
      { field: 'answers[5]', message: 'item 6 must be an integer from 0 to 3' },
      { field: 'answers[6]', message: 'item 7 must be an integer from 0 to 3' },
    ]);
  });

  it('rejects Infinity, numeric strings, null and booleans as items', () => {
    const untrusted: unknown = [Infinity, '1', null, true, 0, 0, 0];
    expect(validateAnswers('GAD7', untrusted).map((problem) => problem.field)).toEqual([
      'answers[0]',
      'answers[1]',
      'answers[2]',
      'answers[3]',
    ]);
  });

  it('reports count and item problems together', () => {
    expect(validateAnswers('GAD7', [0, 9])).toEqual([
      { field: 'answers', message: 'GAD7 expects exactly 7 answers, got 2' },
      { field: 'answers[1]', message: 'item 2 must be an integer from 0 to 3' },
    ]);
  });

  it('accepts only 0 and 1 on the C-SSRS screener', () => {
    expect(validateAnswers('CSSRS', [0, 0, 2, 0, 0, 0])).toEqual([
      { field: 'answers[2]', message: 'item 3 must be 0 (no) or 1 (yes)' },
    ]);
  });

  it('accepts 0–5 on the MEQ-30 and nothing outside', () => {
    expect(validateAnswers('MEQ30', meqAnswers(0, { 1: 5, 30: 0 }))).toEqual([]);
    expect(validateAnswers('MEQ30', meqAnswers(0, { 12: 6, 30: -1 }))).toEqual([
      { field: 'answers[11]', message: 'item 12 must be an integer from 0 to 5' },
      { field: 'answers[29]', message: 'item 30 must be an integer from 0 to 5' },
    ]);
  });
});

describe('scoreAssessment — invalid input', () => {
  it('throws InvalidAnswersError carrying the problems', () => {
    expect(() => scoreAssessment('PHQ9', [0, 0, 0])).toThrow(InvalidAnswersError);
    try {
      scoreAssessment('GAD7', [0, 0, 0, 0, 0, 0, 4]);
      throw new Error('expected a throw');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(InvalidAnswersError);
      expect((error as InvalidAnswersError).problems).toEqual([
        { field: 'answers[6]', message: 'item 7 must be an integer from 0 to 3' },
      ]);
      expect((error as InvalidAnswersError).message).toContain('answers[6]');
    }
  });

  it('throws on NaN rather than scoring it', () => {
    expect(() => scoreAssessment('MEQ30', meqAnswers(3, { 5: Number.NaN }))).toThrow(
      InvalidAnswersError,
    );
  });
});

describe('PHQ-9 (bands 0–4, 5–9, 10–14, 15–19, 20–27)', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ] as const)('total %i is %s', (total, severity) => {
    const result = scoreAssessment('PHQ9', answersSummingTo(total, 9, 3));
    expect(result.score).toBe(total);
    expect(result.severity).toBe(severity);
  });

  it('sums a realistic baseline form (≈25 → severe) and follow-up (≈12 → moderate)', () => {
    // 3+3+3+3+3+3+3+3+1 = 25
    expect(scoreAssessment('PHQ9', [3, 3, 3, 3, 3, 3, 3, 3, 1])).toEqual({
      instrument: 'PHQ9',
      score: 25,
      severity: 'severe',
      selfHarmItemPositive: true,
    });
    // 2+2+1+2+1+1+2+1+0 = 12
    expect(scoreAssessment('PHQ9', [2, 2, 1, 2, 1, 1, 2, 1, 0])).toEqual({
      instrument: 'PHQ9',
      score: 12,
      severity: 'moderate',
      selfHarmItemPositive: false,
    });
  });

  it('flags item 9 even when the total is minimal', () => {
    const result = scoreAssessment('PHQ9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(result.severity).toBe('minimal');
    expect(result.selfHarmItemPositive).toBe(true);
  });
});

describe('GAD-7 (bands 0–4, 5–9, 10–14, 15–21)', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ] as const)('total %i is %s', (total, severity) => {
    const result = scoreAssessment('GAD7', answersSummingTo(total, 7, 3));
    expect(result).toEqual({ instrument: 'GAD7', score: total, severity });
  });

  it('sums a mixed form: 1+2+0+3+1+2+1 = 10 → moderate', () => {
    expect(scoreAssessment('GAD7', [1, 2, 0, 3, 1, 2, 1])).toEqual({
      instrument: 'GAD7',
      score: 10,
      severity: 'moderate',
    });
  });
});

describe('C-SSRS screener triage', () => {
  it.each([
    ['all no', [0, 0, 0, 0, 0, 0], 0, 'low'],
    ['wish to be dead only (Q1)', [1, 0, 0, 0, 0, 0], 1, 'low'],
    ['Q1 + non-specific thoughts (Q2)', [1, 1, 0, 0, 0, 0], 2, 'low'],
    ['method (Q3)', [1, 1, 1, 0, 0, 0], 3, 'moderate'],
    ['intent (Q4)', [1, 1, 1, 1, 0, 0], 4, 'high'],
    ['plan and intent (Q5) alone', [0, 0, 0, 0, 1, 0], 1, 'high'],
    ['behaviour in past 3 months (Q6) alone', [0, 0, 0, 0, 0, 1], 1, 'high'],
    ['Q3 + Q6', [0, 1, 1, 0, 0, 1], 3, 'high'],
    ['every item yes', [1, 1, 1, 1, 1, 1], 6, 'high'],
  ] as const)('%s → score %i, %s', (_label, answers, score, severity) => {
    expect(scoreAssessment('CSSRS', answers)).toEqual({ instrument: 'CSSRS', score, severity });
  });
});

describe('MEQ-30 (Barrett, Johnson & Griffiths 2015)', () => {
  it('uses the published key: 15 + 6 + 6 + 3 items covering 1–30 exactly once', () => {
    expect(MEQ30_SUBSCALE_ITEMS.mystical).toEqual([
      4, 5, 6, 9, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 28,
    ]);
    expect(MEQ30_SUBSCALE_ITEMS.positiveMood).toEqual([2, 8, 12, 17, 27, 30]);
    expect(MEQ30_SUBSCALE_ITEMS.transcendence).toEqual([1, 7, 11, 13, 19, 22]);
    expect(MEQ30_SUBSCALE_ITEMS.ineffability).toEqual([3, 10, 29]);
    const allItems = Object.values(MEQ30_SUBSCALE_ITEMS)
      .flat()
      .sort((a, b) => a - b);
    expect(allItems).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
  });

  it('all 5s → every mean 5, complete', () => {
    expect(scoreAssessment('MEQ30', meqAnswers(5))).toEqual({
      instrument: 'MEQ30',
      score: 5,
      severity: 'complete',
      subscales: { mystical: 5, positiveMood: 5, transcendence: 5, ineffability: 5 },
      complete: true,
    });
  });

  it('all 0s → every mean 0, not complete', () => {
    expect(scoreAssessment('MEQ30', meqAnswers(0))).toEqual({
      instrument: 'MEQ30',
      score: 0,
      severity: 'not_complete',
      subscales: { mystical: 0, positiveMood: 0, transcendence: 0, ineffability: 0 },
      complete: false,
    });
  });

  it('all 3s sits exactly on the 60% threshold → complete', () => {
    const result = scoreAssessment('MEQ30', meqAnswers(3));
    expect(result.subscales).toEqual({
      mystical: 3,
      positiveMood: 3,
      transcendence: 3,
      ineffability: 3,
    });
    expect(result.complete).toBe(true);
    expect(result.severity).toBe('complete');
  });

  it('one factor just under 60% → not complete, and each item lands in its own factor', () => {
    // Ineffability items 3, 10, 29 = 3, 3, 2 → mean 8/3 < 3; everything else 3.
    const result = scoreAssessment('MEQ30', meqAnswers(3, { 29: 2 }));
    expect(result.subscales.ineffability).toBeCloseTo(8 / 3, 12);
    expect(result.subscales.mystical).toBe(3);
    expect(result.subscales.positiveMood).toBe(3);
    expect(result.subscales.transcendence).toBe(3);
    // 29 × 3 + 2 = 89 → 89 / 30
    expect(result.score).toBeCloseTo(89 / 30, 12);
    expect(result.complete).toBe(false);
    expect(result.severity).toBe('not_complete');
  });

  it('a high total is not enough when one factor is low', () => {
    // Mystical, positive mood, ineffability all 5; transcendence items 1, 7, 11, 13, 19, 22 = 2.
    const result = scoreAssessment(
      'MEQ30',
      meqAnswers(5, { 1: 2, 7: 2, 11: 2, 13: 2, 19: 2, 22: 2 }),
    );
    expect(result.subscales).toEqual({
      mystical: 5,
      positiveMood: 5,
      transcendence: 2,
      ineffability: 5,
    });
    // (24 × 5 + 6 × 2) / 30 = 132 / 30 = 4.4
    expect(result.score).toBeCloseTo(4.4, 12);
    expect(result.complete).toBe(false);
  });

  it('computes distinct means per factor on a mixed form', () => {
    // Mystical items 4 and 5 → 0 (others 4): (13 × 4) / 15 = 52/15 ≈ 3.4667
    // Positive mood items 2, 8, 12, 17, 27, 30 → 3, 3, 3, 4, 4, 4 = 21 / 6 = 3.5
    // Transcendence items → 5 each = 5
    // Ineffability items 3, 10, 29 → 1, 2, 3 = 6 / 3 = 2
    const result = scoreAssessment(
      'MEQ30',
      meqAnswers(4, {
        4: 0,
        5: 0,
        2: 3,
        8: 3,
        12: 3,
        17: 4,
        27: 4,
        30: 4,
        1: 5,
        7: 5,
        11: 5,
        13: 5,
        19: 5,
        22: 5,
        3: 1,
        10: 2,
        29: 3,
      }),
    );
    expect(result.subscales.mystical).toBeCloseTo(52 / 15, 12);
    expect(result.subscales.positiveMood).toBe(3.5);
    expect(result.subscales.transcendence).toBe(5);
    expect(result.subscales.ineffability).toBe(2);
    // total = 52 + 21 + 30 + 6 = 109 → 109 / 30
    expect(result.score).toBeCloseTo(109 / 30, 12);
    expect(result.complete).toBe(false);
  });

  it('mystical factor at exactly 45/15 = 3.0 counts as complete, 44/15 does not', () => {
    // All items 4 except the 15 mystical items at 3 → 45 / 15 = 3.0; item 28 at 2 → 44 / 15.
    const mysticalAtThree = Object.fromEntries(
      MEQ30_SUBSCALE_ITEMS.mystical.map((item) => [item, 3]),
    );
    expect(scoreAssessment('MEQ30', meqAnswers(4, mysticalAtThree)).complete).toBe(true);
    expect(scoreAssessment('MEQ30', meqAnswers(4, { ...mysticalAtThree, 28: 2 })).complete).toBe(
      false,
    );
  });
});
