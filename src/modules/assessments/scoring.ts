/**
 * Scoring of the baseline / follow-up instruments named in the API contract
 * (`POST /assessments`, instrument `PHQ9 | GAD7 | CSSRS | MEQ30`).
 *
 * Pure functions only: no NestJS, no database, no I/O. The controller validates with
 * `validateAnswers` (its problems map straight onto a 400 `validation_failed` body) and then
 * calls `scoreAssessment`, which refuses invalid answers by throwing `InvalidAnswersError`.
 *
 * Answers are positional: `answers[0]` is item 1 of the published form, and so on.
 */

export const INSTRUMENTS = ['PHQ9', 'GAD7', 'CSSRS', 'MEQ30'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** Same shape as the `details` entries of a 400 `validation_failed` body. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

interface ItemSpec {
  /** Number of items on the published form. */
  readonly itemCount: number;
  /** Lowest and highest allowed answer; every answer must be an integer in [min, max]. */
  readonly min: number;
  readonly max: number;
  /** How the allowed range reads in a validation message. */
  readonly rangeDescription: string;
}

/**
 * Item counts and response scales of each instrument's published form:
 * - PHQ-9: 9 items, 0 "not at all" … 3 "nearly every day" (Kroenke, Spitzer & Williams 2001).
 * - GAD-7: 7 items, same 0–3 scale (Spitzer, Kroenke, Williams & Löwe 2006).
 * - C-SSRS screener: questions 1–6 answered yes/no, recorded 0 = no, 1 = yes (contract).
 * - MEQ-30: 30 items, 0 "none" … 5 "extreme" (Barrett, Johnson & Griffiths 2015).
 */
export const INSTRUMENT_ITEM_SPECS = {
  PHQ9: { itemCount: 9, min: 0, max: 3, rangeDescription: 'an integer from 0 to 3' },
  GAD7: { itemCount: 7, min: 0, max: 3, rangeDescription: 'an integer from 0 to 3' },
  CSSRS: { itemCount: 6, min: 0, max: 1, rangeDescription: '0 (no) or 1 (yes)' },
  MEQ30: { itemCount: 30, min: 0, max: 5, rangeDescription: 'an integer from 0 to 5' },
} as const satisfies Readonly<Record<Instrument, ItemSpec>>;

// ---------------------------------------------------------------------------------------------
// Severity vocabularies (fixed by the API contract, except MEQ-30's which is ours).

export const PHQ9_SEVERITIES = [
  'minimal',
  'mild',
  'moderate',
  'moderately_severe',
  'severe',
] as const;
export type Phq9Severity = (typeof PHQ9_SEVERITIES)[number];

export const GAD7_SEVERITIES = ['minimal', 'mild', 'moderate', 'severe'] as const;
export type Gad7Severity = (typeof GAD7_SEVERITIES)[number];

export const CSSRS_RISK_LEVELS = ['low', 'moderate', 'high'] as const;
export type CssrsRisk = (typeof CSSRS_RISK_LEVELS)[number];

/**
 * The contract has no severity vocabulary for MEQ-30, whose result is not a severity at all;
 * we report whether the session met the "complete mystical experience" criterion (see
 * `MEQ30_COMPLETE_THRESHOLD_FRACTION`) so that `severity` is always a meaningful label.
 */
export const MEQ30_SEVERITIES = ['complete', 'not_complete'] as const;
export type Meq30Severity = (typeof MEQ30_SEVERITIES)[number];

// ---------------------------------------------------------------------------------------------
// Severity bands. Each band is [lowest total score, label]; a score takes the label of the last
// band whose lower bound it reaches, so the tables read exactly like the published cut-offs.

interface SeverityBand<Label extends string> {
  readonly minScore: number;
  readonly label: Label;
}

/** PHQ-9 cut-offs 5, 10, 15, 20 (Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606). */
export const PHQ9_BANDS = [
  { minScore: 0, label: 'minimal' }, //            0–4
  { minScore: 5, label: 'mild' }, //               5–9
  { minScore: 10, label: 'moderate' }, //          10–14
  { minScore: 15, label: 'moderately_severe' }, // 15–19
  { minScore: 20, label: 'severe' }, //            20–27
] as const satisfies readonly SeverityBand<Phq9Severity>[];

/** GAD-7 cut-offs 5, 10, 15 (Spitzer et al. 2006, Arch Intern Med 166:1092). */
export const GAD7_BANDS = [
  { minScore: 0, label: 'minimal' }, //   0–4
  { minScore: 5, label: 'mild' }, //      5–9
  { minScore: 10, label: 'moderate' }, // 10–14
  { minScore: 15, label: 'severe' }, //   15–21
] as const satisfies readonly SeverityBand<Gad7Severity>[];

function bandFor<Label extends string>(
  bands: readonly SeverityBand<Label>[],
  score: number,
): Label {
  let label = bands[0].label;
  for (const band of bands) {
    if (score >= band.minScore) label = band.label;
  }
  return label;
}

// ---------------------------------------------------------------------------------------------
// C-SSRS screener.

/**
 * The six questions of the Columbia Suicide Severity Rating Scale screener (Posner et al. 2011,
 * Am J Psychiatry 168:1266; "Columbia Protocol" screen version), 1-based as on the form.
 */
export const CSSRS_SCREENER_ITEMS = {
  1: 'wish to be dead',
  2: 'non-specific active suicidal thoughts',
  3: 'active suicidal ideation with any methods (without plan), without intent to act',
  4: 'active suicidal ideation with some intent to act, without specific plan',
  5: 'active suicidal ideation with specific plan and intent',
  6: 'suicidal behaviour in the past 3 months',
} as const;

/**
 * Risk triage of the screener, after the Columbia Lighthouse Project's "screener with triage
 * points" convention:
 * - high     — yes to Q4 (intent) or Q5 (plan and intent), or yes to Q6 (behaviour) within the
 *              past 3 months;
 * - moderate — yes to Q3 (method), or Q6 behaviour longer than 3 months ago;
 * - low      — otherwise (including yes only to Q1 and/or Q2).
 * The paper form asks Q6 as "ever?" and then "within the past 3 months?". The contract records
 * ONE yes/no answer for Q6, which we read as "behaviour in the past 3 months", so a yes is high
 * risk: when the timing is unknown the conservative reading is the safe one.
 * The form's skip logic (Q3–Q5 are only asked after a yes to Q2) is not enforced: a yes on any
 * item is taken at face value, because discarding a recorded yes would under-triage.
 */
export const CSSRS_HIGH_RISK_ITEMS = [4, 5, 6] as const;
export const CSSRS_MODERATE_RISK_ITEMS = [3] as const;

function answerToItem(answers: readonly number[], itemNumber: number): number {
  return answers[itemNumber - 1];
}

function cssrsRisk(answers: readonly number[]): CssrsRisk {
  const yes = (itemNumber: number): boolean => answerToItem(answers, itemNumber) === 1;
  if (CSSRS_HIGH_RISK_ITEMS.some(yes)) return 'high';
  if (CSSRS_MODERATE_RISK_ITEMS.some(yes)) return 'moderate';
  return 'low';
}

// ---------------------------------------------------------------------------------------------
// MEQ-30.

/**
 * Item-to-factor key of the revised Mystical Experience Questionnaire (Barrett, Johnson &
 * Griffiths 2015, J Psychopharmacol 29:1182, appendix), 1-based item numbers as on the form.
 */
export const MEQ30_SUBSCALE_ITEMS = {
  mystical: [4, 5, 6, 9, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 28],
  positiveMood: [2, 8, 12, 17, 27, 30],
  transcendence: [1, 7, 11, 13, 19, 22],
  ineffability: [3, 10, 29],
} as const satisfies Readonly<Record<string, readonly number[]>>;

export type Meq30Subscale = keyof typeof MEQ30_SUBSCALE_ITEMS;
export type Meq30Subscales = Readonly<Record<Meq30Subscale, number>>;

/**
 * A "complete mystical experience" is a score of at least 60% of the maximum on every one of
 * the four factors (Barrett et al. 2015, following Griffiths et al. 2006/2008). With items rated
 * 0–5 that is a factor mean of at least 3.0.
 */
export const MEQ30_COMPLETE_THRESHOLD_FRACTION = 0.6;

function sumOfItems(answers: readonly number[], itemNumbers: readonly number[]): number {
  return itemNumbers.reduce((sum, itemNumber) => sum + answerToItem(answers, itemNumber), 0);
}

function meetsCompleteThreshold(
  answers: readonly number[],
  itemNumbers: readonly number[],
): boolean {
  // Compared on integer sums so that float division never decides a boundary case:
  // mean ≥ 0.6 × 5 ⇔ sum ≥ 3 × itemCount.
  const thresholdPerItem = MEQ30_COMPLETE_THRESHOLD_FRACTION * INSTRUMENT_ITEM_SPECS.MEQ30.max;
  return sumOfItems(answers, itemNumbers) >= Math.round(thresholdPerItem * itemNumbers.length);
}

// ---------------------------------------------------------------------------------------------
// Results.

export interface Phq9Result {
  readonly instrument: 'PHQ9';
  /** Sum of the nine items, 0–27. */
  readonly score: number;
  readonly severity: Phq9Severity;
  /**
   * Item 9 ("thoughts that you would be better off dead, or of hurting yourself") answered above
   * 0. Flagged separately because any positive answer calls for a suicide risk assessment
   * whatever the total (Kroenke et al. 2001).
   */
  readonly selfHarmItemPositive: boolean;
}

export interface Gad7Result {
  readonly instrument: 'GAD7';
  /** Sum of the seven items, 0–21. */
  readonly score: number;
  readonly severity: Gad7Severity;
}

export interface CssrsResult {
  readonly instrument: 'CSSRS';
  /** Number of yes answers, 0–6. The risk level, not this count, drives triage. */
  readonly score: number;
  readonly severity: CssrsRisk;
}

export interface Meq30Result {
  readonly instrument: 'MEQ30';
  /** Mean of all 30 items, 0–5 (not rounded: presentation rounds). */
  readonly score: number;
  readonly severity: Meq30Severity;
  /** Mean of each factor's items, 0–5 (not rounded). */
  readonly subscales: Meq30Subscales;
  /** Every factor mean ≥ 60% of its maximum. */
  readonly complete: boolean;
}

export type ScoreResult = Phq9Result | Gad7Result | CssrsResult | Meq30Result;

/** Thrown by `scoreAssessment` for answers `validateAnswers` would reject. */
export class InvalidAnswersError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(instrument: string, problems: readonly FieldProblem[]) {
    super(
      `Invalid answers for ${instrument}: ` +
        problems.map((problem) => `${problem.field} ${problem.message}`).join('; '),
    );
    this.name = 'InvalidAnswersError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API.

export function isInstrument(value: unknown): value is Instrument {
  return typeof value === 'string' && (INSTRUMENTS as readonly string[]).includes(value);
}

/**
 * Checks answers against the instrument's published form. Returns one problem per offending
 * item (`answers[i]`, zero-based like the JSON body) plus one for a wrong count (`answers`);
 * an empty list means the answers can be scored. Accepts `unknown` because it is meant for
 * untrusted request bodies.
 */
export function validateAnswers(instrument: string, answers: unknown): FieldProblem[] {
  if (!isInstrument(instrument)) {
    return [{ field: 'instrument', message: `must be one of ${INSTRUMENTS.join(', ')}` }];
  }
  if (!Array.isArray(answers)) {
    return [{ field: 'answers', message: 'must be an array of numbers' }];
  }

  const spec: ItemSpec = INSTRUMENT_ITEM_SPECS[instrument];
  const problems: FieldProblem[] = [];
  if (answers.length !== spec.itemCount) {
    problems.push({
      field: 'answers',
      message: `${instrument} expects exactly ${spec.itemCount} answers, got ${answers.length}`,
    });
  }
  answers.forEach((answer: unknown, index) => {
    const isAllowed =
      typeof answer === 'number' &&
      Number.isInteger(answer) &&
      answer >= spec.min &&
      answer <= spec.max;
    if (!isAllowed) {
      problems.push({
        field: `answers[${index}]`,
        message: `item ${index + 1} must be ${spec.rangeDescription}`,
      });
    }
  });
  return problems;
}

export function scoreAssessment(instrument: 'PHQ9', answers: readonly number[]): Phq9Result;
export function scoreAssessment(instrument: 'GAD7', answers: readonly number[]): Gad7Result;
export function scoreAssessment(instrument: 'CSSRS', answers: readonly number[]): CssrsResult;
export function scoreAssessment(instrument: 'MEQ30', answers: readonly number[]): Meq30Result;
export function scoreAssessment(instrument: Instrument, answers: readonly number[]): ScoreResult;
export function scoreAssessment(instrument: Instrument, answers: readonly number[]): ScoreResult {
  const problems = validateAnswers(instrument, answers);
  if (problems.length > 0) throw new InvalidAnswersError(instrument, problems);

  const total = answers.reduce((sum, answer) => sum + answer, 0);
  switch (instrument) {
    case 'PHQ9':
      return {
        instrument,
        score: total,
        severity: bandFor(PHQ9_BANDS, total),
        selfHarmItemPositive: answerToItem(answers, 9) > 0,
      };
    case 'GAD7':
      return { instrument, score: total, severity: bandFor(GAD7_BANDS, total) };
    case 'CSSRS':
      // Answers are 0/1, so the sum is the number of yes answers.
      return { instrument, score: total, severity: cssrsRisk(answers) };
    case 'MEQ30':
      return scoreMeq30(answers, total);
  }
}

function scoreMeq30(answers: readonly number[], total: number): Meq30Result {
  const factorMean = (subscale: Meq30Subscale): number =>
    sumOfItems(answers, MEQ30_SUBSCALE_ITEMS[subscale]) / MEQ30_SUBSCALE_ITEMS[subscale].length;
  const subscales: Meq30Subscales = {
    mystical: factorMean('mystical'),
    positiveMood: factorMean('positiveMood'),
    transcendence: factorMean('transcendence'),
    ineffability: factorMean('ineffability'),
  };
  const complete = Object.values(MEQ30_SUBSCALE_ITEMS).every((itemNumbers) =>
    meetsCompleteThreshold(answers, itemNumbers),
  );
  return {
    instrument: 'MEQ30',
    score: total / INSTRUMENT_ITEM_SPECS.MEQ30.itemCount,
    severity: complete ? 'complete' : 'not_complete',
    subscales,
    complete,
  };
}
