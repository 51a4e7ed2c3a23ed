/**
 * Running cumulative dose calculator behind `POST /protocols/dose-calculation`
 * (contract: in `{ weightKg, doses: [{ mg, at }], ceilingMgPerKg? }`, out `{ totalMg,
 * totalMgPerKg, running: [{ at, cumulativeMg, cumulativeMgPerKg }], warnings }`).
 * Pure functions: no NestJS, no database, no I/O.
 *
 * Typical use is an ibogaine course of a test dose then boosters, where the clinic's protocol
 * sets a cumulative mg/kg ceiling.
 */

/** Same shape as the `details` entries of a 400 `validation_failed` body. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface DoseEntry {
  readonly mg: number;
  /** ISO 8601 date-time with a UTC offset (`Z` or `±hh:mm`). */
  readonly at: string;
}

export interface DoseCalculationInput {
  readonly weightKg: number;
  readonly doses: readonly DoseEntry[];
  readonly ceilingMgPerKg?: number | null;
}

export interface RunningDose {
  /** The dose time, normalised to UTC (`toISOString()`), as the contract's times are. */
  readonly at: string;
  readonly cumulativeMg: number;
  readonly cumulativeMgPerKg: number;
}

export interface DoseCalculationResult {
  readonly totalMg: number;
  readonly totalMgPerKg: number;
  /** One entry per dose, oldest first. */
  readonly running: readonly RunningDose[];
  readonly warnings: readonly string[];
}

/** mg and mg/kg figures are reported to 3 decimals (1 µg, 1 µg/kg). */
export const DOSE_DECIMALS = 3;

/**
 * Besides the "ceiling exceeded" warning, a course whose cumulative dose has reached 90% of the
 * ceiling (without exceeding it) gets an "approaching the ceiling" warning, so that a clinician
 * planning one more booster sees how little headroom is left. Only one ceiling warning is ever
 * given: "exceeded" supersedes "approaching".
 */
export const CEILING_APPROACH_FRACTION = 0.9;

const MICROGRAMS_PER_MG = 1000;

/**
 * An ISO 8601 calendar date-time with an explicit offset. A date alone, or a time without an
 * offset, would be read in the server's time zone, which is ambiguous for a dose log.
 */
const ISO_DATE_TIME_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Rounds half away from zero at `decimals`, ignoring binary float noise (e.g. 1.0005). */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // toPrecision(15) drops the noise below a double's ~15.9 significant digits, so that
  // 1.0005 × 1000 = 1000.4999999999999 rounds as the 1000.5 it stands for.
  return Math.round(Number((value * factor).toPrecision(15))) / factor;
}

/** Epoch milliseconds of a valid ISO date-time with offset, or null. */
function parseIsoDateTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = ISO_DATE_TIME_WITH_OFFSET.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  // Date.parse would roll 2024-02-30 over to 1 March; check the calendar fields ourselves.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const fieldsInRange =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!fieldsInRange) return null;
  const epochMs = Date.parse(value);
  return Number.isFinite(epochMs) ? epochMs : null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Problems with a dose calculation request, as `{ field, message }` (fields `weightKg`,
 * `ceilingMgPerKg`, `doses`, `doses[i].mg`, `doses[i].at`, indices in input order). Empty when
 * the input can be calculated. Accepts `unknown` because it is meant for untrusted bodies.
 */
export function validateDoseInput(input: unknown): FieldProblem[] {
  if (typeof input !== 'object' || input === null) {
    return [{ field: 'body', message: 'must be an object' }];
  }
  const { weightKg, doses, ceilingMgPerKg } = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];

  if (!isFiniteNumber(weightKg) || weightKg <= 0) {
    problems.push({ field: 'weightKg', message: 'must be a number greater than 0' });
  }
  if (
    ceilingMgPerKg !== undefined &&
    ceilingMgPerKg !== null &&
    (!isFiniteNumber(ceilingMgPerKg) || ceilingMgPerKg <= 0)
  ) {
    problems.push({ field: 'ceilingMgPerKg', message: 'must be a number greater than 0' });
  }
  if (!Array.isArray(doses)) {
    problems.push({ field: 'doses', message: 'must be an array of { mg, at }' });
    return problems;
  }

  doses.forEach((dose: unknown, index) => {
    if (typeof dose !== 'object' || dose === null) {
      problems.push({ field: `doses[${index}]`, message: 'must be an object { mg, at }' });
      return;
    }
    const { mg, at } = dose as Record<string, unknown>;
    if (!isFiniteNumber(mg) || mg < 0) {
      problems.push({ field: `doses[${index}].mg`, message: 'must be a number of at least 0' });
    }
    if (parseIsoDateTime(at) === null) {
      problems.push({
        field: `doses[${index}].at`,
        message: 'must be an ISO 8601 date-time with a UTC offset, e.g. 2024-05-01T09:30:00Z',
      });
    }
  });
  return problems;
}

/** Thrown by `calculateDoses` for input `validateDoseInput` would reject. */
export class InvalidDoseInputError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(
      'Invalid dose calculation input: ' +
        problems.map((problem) => `${problem.field} ${problem.message}`).join('; '),
    );
    this.name = 'InvalidDoseInputError';
    this.problems = problems;
  }
}

function formatFigure(value: number): string {
  return String(roundTo(value, DOSE_DECIMALS));
}

/**
 * Sorts the doses by time (ties keep their input order: Array.prototype.sort is stable) and
 * accumulates them. Amounts are summed in integer micrograms so that e.g. 0.1 + 0.2 mg is
 * exactly 0.3 mg; each dose is taken to the nearest µg, below any scale's precision.
 *
 * The ceiling is compared with the cumulative mg/kg as reported (3 decimals), so a warning
 * never contradicts the figures beside it. Throws `InvalidDoseInputError` on invalid input.
 */
export function calculateDoses(input: DoseCalculationInput): DoseCalculationResult {
  const problems = validateDoseInput(input);
  if (problems.length > 0) throw new InvalidDoseInputError(problems);

  const { weightKg, ceilingMgPerKg } = input;
  const chronological = input.doses
    .map((dose) => ({
      micrograms: Math.round(dose.mg * MICROGRAMS_PER_MG),
      epochMs: parseIsoDateTime(dose.at) ?? Number.NaN, // validated above: never NaN
    }))
    .sort((a, b) => a.epochMs - b.epochMs);

  let cumulativeMicrograms = 0;
  const running: RunningDose[] = chronological.map((dose) => {
    cumulativeMicrograms += dose.micrograms;
    const cumulativeMg = cumulativeMicrograms / MICROGRAMS_PER_MG;
    return {
      at: new Date(dose.epochMs).toISOString(),
      cumulativeMg,
      cumulativeMgPerKg: roundTo(cumulativeMg / weightKg, DOSE_DECIMALS),
    };
  });

  const totalMg = cumulativeMicrograms / MICROGRAMS_PER_MG;
  const totalMgPerKg = roundTo(totalMg / weightKg, DOSE_DECIMALS);
  const warnings =
    ceilingMgPerKg === undefined || ceilingMgPerKg === null
      ? []
      : ceilingWarnings(running, weightKg, ceilingMgPerKg);

  return { totalMg, totalMgPerKg, running, warnings };
}

function ceilingWarnings(
  running: readonly RunningDose[],
  weightKg: number,
  ceilingMgPerKg: number,
): string[] {
  const ceilingMg = formatFigure(ceilingMgPerKg * weightKg);
  const ceilingText = `${formatFigure(ceilingMgPerKg)} mg/kg (${ceilingMg} mg at ${formatFigure(weightKg)} kg)`;

  const firstOver = running.find((entry) => entry.cumulativeMgPerKg > ceilingMgPerKg);
  if (firstOver !== undefined) {
    return [
      `Cumulative dose first exceeded the ceiling of ${ceilingText} with the dose at ` +
        `${firstOver.at}: ${formatFigure(firstOver.cumulativeMg)} mg, ` +
        `${formatFigure(firstOver.cumulativeMgPerKg)} mg/kg`,
    ];
  }

  // 0.9 × ceiling rounded to the reported precision, so that float products such as
  // 0.9 × 0.3 = 0.27000000000000002 do not exclude a cumulative figure of exactly 0.27.
  const approachMgPerKg = roundTo(CEILING_APPROACH_FRACTION * ceilingMgPerKg, 9);
  const firstNear = running.find((entry) => entry.cumulativeMgPerKg >= approachMgPerKg);
  if (firstNear !== undefined) {
    const total = running[running.length - 1];
    const percentOfCeiling = formatFigure((total.cumulativeMgPerKg / ceilingMgPerKg) * 100);
    return [
      `Cumulative dose is at ${percentOfCeiling}% of the ceiling of ${ceilingText}: ` +
        `${formatFigure(total.cumulativeMg)} mg, ${formatFigure(total.cumulativeMgPerKg)} mg/kg; ` +
        `it reached ${CEILING_APPROACH_FRACTION * 100}% with the dose at ${firstNear.at}`,
    ];
  }
  return [];
}
