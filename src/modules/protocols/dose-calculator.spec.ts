import {
  CEILING_APPROACH_FRACTION,
  InvalidDoseInputError,
  calculateDoses,
  validateDoseInput,
} from './dose-calculator';

/** An ibogaine course for an 80 kg patient: test dose, main dose, booster. */
const ibogaineCourse = [
  { mg: 200, at: '2024-05-01T08:00:00Z' },
  { mg: 1000, at: '2024-05-01T09:00:00Z' },
  { mg: 200, at: '2024-05-01T13:00:00Z' },
] as const;

describe('calculateDoses — running totals', () => {
  it('accumulates an ibogaine course: 200 → 1200 → 1400 mg at 80 kg = 2.5 → 15 → 17.5 mg/kg', () => {
    expect(calculateDoses({ weightKg: 80, doses: ibogaineCourse })).toEqual({
      totalMg: 1400,
      totalMgPerKg: 17.5,
      running: [
        { at: '2024-05-01T08:00:00.000Z', cumulativeMg: 200, cumulativeMgPerKg: 2.5 },
        { at: '2024-05-01T09:00:00.000Z', cumulativeMg: 1200, cumulativeMgPerKg: 15 },
        { at: '2024-05-01T13:00:00.000Z', cumulativeMg: 1400, cumulativeMgPerKg: 17.5 },
      ],
      warnings: [],
    });
  });

  it('sorts doses by time, normalising offsets to UTC', () => {
    const result = calculateDoses({
      weightKg: 50,
      doses: [
        { mg: 25, at: '2024-05-01T12:00:00+02:00' }, // 10:00Z
        { mg: 100, at: '2024-05-01T09:00:00Z' },
        { mg: 50, at: '2024-05-01T09:30:00.250Z' },
      ],
    });
    // 100 → 150 → 175 mg; / 50 kg = 2 → 3 → 3.5 mg/kg
    expect(result.running).toEqual([
      { at: '2024-05-01T09:00:00.000Z', cumulativeMg: 100, cumulativeMgPerKg: 2 },
      { at: '2024-05-01T09:30:00.250Z', cumulativeMg: 150, cumulativeMgPerKg: 3 },
      { at: '2024-05-01T10:00:00.000Z', cumulativeMg: 175, cumulativeMgPerKg: 3.5 },
    ]);
    expect(result.totalMg).toBe(175);
    expect(result.totalMgPerKg).toBe(3.5);
  });

  it('keeps input order for doses given at the same time (stable sort)', () => {
    const at = '2024-05-01T09:00:00Z';
    const forward = calculateDoses({
      weightKg: 10,
      doses: [
        { mg: 100, at },
        { mg: 50, at },
      ],
    });
    expect(forward.running.map((entry) => entry.cumulativeMg)).toEqual([100, 150]);
    const reversed = calculateDoses({
      weightKg: 10,
      doses: [
        { mg: 50, at },
        { mg: 100, at },
      ],
    });
    expect(reversed.running.map((entry) => entry.cumulativeMg)).toEqual([50, 150]);
  });

  it('does not drift: 0.1 + 0.2 mg is exactly 0.3 mg', () => {
    const result = calculateDoses({
      weightKg: 1,
      doses: [
        { mg: 0.1, at: '2024-05-01T09:00:00Z' },
        { mg: 0.2, at: '2024-05-01T10:00:00Z' },
      ],
    });
    expect(result.totalMg).toBe(0.3);
    expect(result.totalMgPerKg).toBe(0.3);
    expect(result.running[1].cumulativeMg).toBe(0.3);
  });

  it('rounds mg/kg to 3 decimals', () => {
    // 100 / 70 = 1.4285714… → 1.429; 1200 / 70 = 17.142857… → 17.143
    const result = calculateDoses({
      weightKg: 70,
      doses: [
        { mg: 100, at: '2024-05-01T09:00:00Z' },
        { mg: 1100, at: '2024-05-01T10:00:00Z' },
      ],
    });
    expect(result.running.map((entry) => entry.cumulativeMgPerKg)).toEqual([1.429, 17.143]);
    expect(result.totalMgPerKg).toBe(17.143);
    // 1 / 3 = 0.3333… → 0.333; 2 / 3 = 0.6666… → 0.667
    expect(
      calculateDoses({
        weightKg: 3,
        doses: [
          { mg: 1, at: '2024-05-01T09:00:00Z' },
          { mg: 1, at: '2024-05-01T10:00:00Z' },
        ],
      }).running.map((entry) => entry.cumulativeMgPerKg),
    ).toEqual([0.333, 0.667]);
  });

  it('rounds mg to the microgram', () => {
    // 12.3456 mg = 12345.6 µg → 12346 µg = 12.346 mg; 1.0005 mg rounds half up to 1.001 mg.
    expect(
      calculateDoses({ weightKg: 1, doses: [{ mg: 12.3456, at: '2024-05-01T09:00:00Z' }] }).totalMg,
    ).toBe(12.346);
    expect(
      calculateDoses({ weightKg: 1, doses: [{ mg: 1.0005, at: '2024-05-01T09:00:00Z' }] }).totalMg,
    ).toBe(1.001);
  });

  it('accepts zero-mg doses and an empty course', () => {
    expect(
      calculateDoses({ weightKg: 60, doses: [{ mg: 0, at: '2024-05-01T09:00:00Z' }] }),
    ).toEqual({
      totalMg: 0,
      totalMgPerKg: 0,
      running: [{ at: '2024-05-01T09:00:00.000Z', cumulativeMg: 0, cumulativeMgPerKg: 0 }],
      warnings: [],
    });
    expect(calculateDoses({ weightKg: 60, doses: [], ceilingMgPerKg: 10 })).toEqual({
      totalMg: 0,
      totalMgPerKg: 0,
      running: [],
      warnings: [],
    });
  });
});

describe('calculateDoses — ceiling warnings', () => {
  it('no ceiling → no warnings', () => {
    expect(calculateDoses({ weightKg: 80, doses: ibogaineCourse }).warnings).toEqual([]);
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: null }).warnings,
    ).toEqual([]);
  });

  it('names the dose at which the ceiling was first exceeded, once', () => {
    // Ceiling 12 mg/kg × 80 kg = 960 mg. 1200 mg (15 mg/kg) at 09:00 exceeds it first;
    // the 13:00 booster (17.5 mg/kg) does not add a second warning.
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: 12 }).warnings,
    ).toEqual([
      'Cumulative dose first exceeded the ceiling of 12 mg/kg (960 mg at 80 kg) with the dose ' +
        'at 2024-05-01T09:00:00.000Z: 1200 mg, 15 mg/kg',
    ]);
  });

  it('reaching the ceiling exactly is not exceeding it', () => {
    // Ceiling 15 mg/kg: 15 mg/kg at 09:00 is not over; 17.5 at 13:00 is.
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: 15 }).warnings,
    ).toEqual([
      'Cumulative dose first exceeded the ceiling of 15 mg/kg (1200 mg at 80 kg) with the dose ' +
        'at 2024-05-01T13:00:00.000Z: 1400 mg, 17.5 mg/kg',
    ]);
    // Ceiling 17.5 mg/kg: the total equals it → 100% → only the "approaching" warning.
    // 90% of 17.5 = 15.75, first reached at 13:00.
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: 17.5 }).warnings,
    ).toEqual([
      'Cumulative dose is at 100% of the ceiling of 17.5 mg/kg (1400 mg at 80 kg): 1400 mg, ' +
        '17.5 mg/kg; it reached 90% with the dose at 2024-05-01T13:00:00.000Z',
    ]);
  });

  it('warns when the course has reached 90% of the ceiling without exceeding it', () => {
    expect(CEILING_APPROACH_FRACTION).toBe(0.9);
    // Ceiling 18 mg/kg (1440 mg); 90% = 16.2 mg/kg, first reached at 13:00 with 17.5 mg/kg;
    // 17.5 / 18 = 97.2222…% → 97.222%.
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: 18 }).warnings,
    ).toEqual([
      'Cumulative dose is at 97.222% of the ceiling of 18 mg/kg (1440 mg at 80 kg): 1400 mg, ' +
        '17.5 mg/kg; it reached 90% with the dose at 2024-05-01T13:00:00.000Z',
    ]);
    // Ceiling 20 mg/kg: 90% = 18 mg/kg, never reached (17.5) → no warning.
    expect(
      calculateDoses({ weightKg: 80, doses: ibogaineCourse, ceilingMgPerKg: 20 }).warnings,
    ).toEqual([]);
  });

  it('reports the time 90% was first reached even when later doses add more', () => {
    // Ceiling 16 mg/kg (1280 mg at 80 kg); 90% = 14.4 mg/kg, first reached at 09:00 (15 mg/kg).
    // Without the booster the total stays at 15 / 16 = 93.75%.
    const withoutBooster = ibogaineCourse.slice(0, 2);
    expect(
      calculateDoses({ weightKg: 80, doses: withoutBooster, ceilingMgPerKg: 16 }).warnings,
    ).toEqual([
      'Cumulative dose is at 93.75% of the ceiling of 16 mg/kg (1280 mg at 80 kg): 1200 mg, ' +
        '15 mg/kg; it reached 90% with the dose at 2024-05-01T09:00:00.000Z',
    ]);
  });

  it('compares 90% without float error: 0.27 mg/kg is 90% of 0.3 mg/kg', () => {
    // 0.9 × 0.3 = 0.27000000000000002 in binary floating point.
    const at = '2024-05-01T09:00:00Z';
    expect(
      calculateDoses({ weightKg: 1, doses: [{ mg: 0.27, at }], ceilingMgPerKg: 0.3 }).warnings,
    ).toHaveLength(1);
    expect(
      calculateDoses({ weightKg: 1, doses: [{ mg: 0.269, at }], ceilingMgPerKg: 0.3 }).warnings,
    ).toEqual([]);
  });

  it('compares the ceiling with the reported (3-decimal) figure', () => {
    // 1 mg / 3 kg = 0.3333… → reported 0.333, which does not exceed a 0.333 ceiling.
    const warnings = calculateDoses({
      weightKg: 3,
      doses: [{ mg: 1, at: '2024-05-01T09:00:00Z' }],
      ceilingMgPerKg: 0.333,
    }).warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cumulative dose is at 100% of the ceiling/);
  });
});

describe('validateDoseInput', () => {
  const validDose = { mg: 100, at: '2024-05-01T09:00:00Z' };

  it('accepts a valid body, with or without a ceiling', () => {
    expect(validateDoseInput({ weightKg: 70, doses: [validDose] })).toEqual([]);
    expect(validateDoseInput({ weightKg: 70, doses: [], ceilingMgPerKg: 10 })).toEqual([]);
    expect(validateDoseInput({ weightKg: 0.5, doses: [validDose], ceilingMgPerKg: null })).toEqual(
      [],
    );
  });

  it.each([0, -70, Number.NaN, Infinity, '70', null, undefined])(
    'rejects weightKg %p',
    (weightKg) => {
      expect(validateDoseInput({ weightKg, doses: [validDose] })).toEqual([
        { field: 'weightKg', message: 'must be a number greater than 0' },
      ]);
    },
  );

  it.each([0, -1, Number.NaN, '10'])('rejects ceilingMgPerKg %p', (ceilingMgPerKg) => {
    expect(validateDoseInput({ weightKg: 70, doses: [validDose], ceilingMgPerKg })).toEqual([
      { field: 'ceilingMgPerKg', message: 'must be a number greater than 0' },
    ]);
  });

  it('rejects a body or doses of the wrong shape', () => {
    expect(validateDoseInput(null)).toEqual([{ field: 'body', message: 'must be an object' }]);
    expect(validateDoseInput({ weightKg: 70, doses: 'x' })).toEqual([
      { field: 'doses', message: 'must be an array of { mg, at }' },
    ]);
    expect(validateDoseInput({ weightKg: 70, doses: [null] })).toEqual([
      { field: 'doses[0]', message: 'must be an object { mg, at }' },
    ]);
  });

  it('rejects negative, non-finite and non-numeric mg, naming the dose', () => {
    const problems = validateDoseInput({
      weightKg: 70,
      doses: [
        validDose,
        { ...validDose, mg: -0.001 },
        { ...validDose, mg: Number.NaN },
        { ...validDose, mg: '5' },
      ],
    });
    expect(problems).toEqual([
      { field: 'doses[1].mg', message: 'must be a number of at least 0' },
      { field: 'doses[2].mg', message: 'must be a number of at least 0' },
      { field: 'doses[3].mg', message: 'must be a number of at least 0' },
    ]);
  });

  it.each([
    'yesterday',
    '',
    '2024-05-01', // date only: no time of day
    '2024-05-01T09:00:00', // no offset: ambiguous time zone
    '2024-02-30T09:00:00Z', // no such day
    '2023-02-29T09:00:00Z', // not a leap year
    '2024-13-01T09:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T09:60:00Z',
    '2024-05-01T09:00:00+25:00',
    '01/05/2024 09:00',
  ])('rejects dose time %p', (at) => {
    expect(validateDoseInput({ weightKg: 70, doses: [{ mg: 1, at }] })).toEqual([
      {
        field: 'doses[0].at',
        message: 'must be an ISO 8601 date-time with a UTC offset, e.g. 2024-05-01T09:30:00Z',
      },
    ]);
  });

  it.each([
    '2024-02-29T09:00:00Z',
    '2024-05-01T09:00Z',
    '2024-05-01T09:00:00.123Z',
    '2024-05-01T09:00:00-05:00',
  ])('accepts dose time %p', (at) => {
    expect(validateDoseInput({ weightKg: 70, doses: [{ mg: 1, at }] })).toEqual([]);
  });

  it('rejects a non-string dose time', () => {
    expect(validateDoseInput({ weightKg: 70, doses: [{ mg: 1, at: 1714555800000 }] })).toEqual([
      {
        field: 'doses[0].at',
        message: 'must be an ISO 8601 date-time with a UTC offset, e.g. 2024-05-01T09:30:00Z',
      },
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      validateDoseInput({ weightKg: -1, doses: [{ mg: -1, at: 'x' }], ceilingMgPerKg: 0 }).map(
        (problem) => problem.field,
      ),
    ).toEqual(['weightKg', 'ceilingMgPerKg', 'doses[0].mg', 'doses[0].at']);
  });

  it('calculateDoses throws InvalidDoseInputError with the problems', () => {
    expect(() => calculateDoses({ weightKg: 0, doses: [] })).toThrow(InvalidDoseInputError);
    try {
      calculateDoses({ weightKg: 70, doses: [{ mg: 5, at: 'soon' }] });
      throw new Error('expected a throw');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(InvalidDoseInputError);
      expect((error as InvalidDoseInputError).problems.map((problem) => problem.field)).toEqual([
        'doses[0].at',
      ]);
    }
  });
});
