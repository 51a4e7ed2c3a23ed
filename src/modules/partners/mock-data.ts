import { createHash } from 'node:crypto';
import { scoreAssessment, type Instrument } from '../assessments/scoring';
import {
  computeVitalAlerts,
  qtcBazett,
  qtcFridericia,
  type VitalAlert,
} from '../session-vitals/qtc';

/**
 * The "Mock Record Variety Spec" of seed 001 as data: three test patients per partner, each
 * exercising a different part of the product (PRODUCT.md §4).
 *
 * - A, ibogaine TPA: an active ~30-hour session with QT vitals every 2 h (some QTc near or
 *   over 500 ms), test dose, flood dose and boosters, buprenorphine among the medications so
 *   the interaction checker flags it.
 * - B, MDMA → psilocybin: the full journey with phase transitions, PHQ-9 ≈25 at baseline and
 *   ≈12 at integration, ego-dissolution logs, a MEQ-30 after the session.
 * - C, ketamine: an active session with a diaphoresis adverse event and timestamped
 *   interventions, a C-SSRS baseline.
 * Every patient has a PHQ-9 baseline.
 *
 * Pure and deterministic: the values come from a PRNG seeded by the partner's id, so no two
 * partners share a dataset (seed 001, decision 3) and a test can predict one. Times are
 * relative to `now`. Scores, QTc and alerts come from the same calculators the API uses, so
 * the mock rows look exactly like rows the API would have written.
 */

export const MOCK_PATIENT_KEYS = ['A', 'B', 'C'] as const;
export type MockPatientKey = (typeof MOCK_PATIENT_KEYS)[number];

type Phase = 'intake' | 'preparation' | 'treatment' | 'integration' | 'completed';
type Severity = 'mild' | 'moderate' | 'severe' | 'life_threatening';

export interface MockVital {
  readonly recordedAt: Date;
  readonly heartRate: number;
  readonly systolic: number;
  readonly diastolic: number;
  readonly spo2: number;
  readonly temperatureC: number;
  readonly qtMs: number | null;
  readonly qtcBazettMs: number | null;
  readonly qtcFridericiaMs: number | null;
  readonly alerts: readonly VitalAlert[];
  readonly note: string | null;
}

export interface MockDose {
  readonly mg: number;
  readonly at: Date;
}

export interface MockSubjectiveLog {
  readonly at: Date;
  readonly kind: string;
  readonly intensity: number;
}

export interface MockIntervention {
  readonly at: Date;
  readonly action: string;
}

export interface MockAdverseEvent {
  readonly occurredAt: Date;
  readonly description: string;
  readonly severity: Severity;
  readonly resolvedAt: Date | null;
  readonly interventions: readonly MockIntervention[];
}

export interface MockSession {
  readonly substance: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly vitals: readonly MockVital[];
  readonly doses: readonly MockDose[];
  readonly subjectiveLogs: readonly MockSubjectiveLog[];
  readonly adverseEvents: readonly MockAdverseEvent[];
}

export interface MockAssessment {
  readonly instrument: Instrument;
  readonly answers: readonly number[];
  readonly score: number;
  readonly severity: string;
  readonly subscales: Readonly<Record<string, number>> | null;
  readonly complete: boolean | null;
  readonly administeredAt: Date;
}

export interface MockTransition {
  readonly from: Phase;
  readonly to: Phase;
  readonly at: Date;
}

export interface MockPatient {
  readonly key: MockPatientKey;
  readonly initials: string;
  readonly substance: string;
  readonly medications: readonly string[];
  readonly phase: Phase;
  /** Body weight for mg/kg demos (the schema has no weight column: it goes in the first vitals note). */
  readonly weightKg: number;
  readonly createdAt: Date;
  readonly transitions: readonly MockTransition[];
  readonly sessions: readonly MockSession[];
  readonly assessments: readonly MockAssessment[];
}

export interface MockDataset {
  readonly seed: string;
  readonly patients: readonly MockPatient[];
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness.

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting PRNG), seeded with 128 bits of SHA-256. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const digest = createHash('sha256').update(seed).digest();
    this.a = digest.readUInt32LE(0);
    this.b = digest.readUInt32LE(4);
    this.c = digest.readUInt32LE(8);
    this.d = digest.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Real in [min, max), rounded to `decimals`. */
  real(min: number, max: number, decimals = 1): number {
    const factor = 10 ** decimals;
    return Math.round((min + this.next() * (max - min)) * factor) / factor;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  letters(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(65 + this.int(0, 25));
    return out;
  }
}

/** The seed of a partner's dataset: versioned, so a future change of the generator can be told apart. */
export function mockSeedFor(partnerId: string): string {
  return `ppn-mock-records-v1:${partnerId.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------
// Builders.

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const at = (base: Date, ms: number): Date => new Date(base.getTime() + ms);

/**
 * Answers for a sum-scored instrument that add up to `target`: items rise one point at a
 * time, picked at random among those below `max`. `capped` items never exceed `capValue`
 * (PHQ-9 item 9, self-harm, stays low in a demo).
 */
function answersFor(
  rng: SeededRandom,
  items: number,
  max: number,
  target: number,
  capped: Readonly<Record<number, number>> = {},
): number[] {
  const answers = new Array<number>(items).fill(0);
  const limit = (i: number): number => Math.min(max, capped[i] ?? max);
  const capacity = answers.reduce((sum, _a, i) => sum + limit(i), 0);
  let remaining = Math.min(target, capacity);
  while (remaining > 0) {
    const open = answers.map((a, i) => (a < limit(i) ? i : -1)).filter((i) => i >= 0);
    answers[rng.pick(open)]++;
    remaining--;
  }
  return answers;
}

function assessment(
  instrument: Instrument,
  answers: number[],
  administeredAt: Date,
): MockAssessment {
  const result = scoreAssessment(instrument, answers);
  return {
    instrument,
    answers,
    score: result.score,
    severity: result.severity,
    subscales: result.instrument === 'MEQ30' ? { ...result.subscales } : null,
    complete: result.instrument === 'MEQ30' ? result.complete : null,
    administeredAt,
  };
}

function phq9(rng: SeededRandom, target: number, administeredAt: Date): MockAssessment {
  // Item 9 (index 8) stays at 0–1: a demo should not open with a positive self-harm screen at 3.
  return assessment('PHQ9', answersFor(rng, 9, 3, target, { 8: 1 }), administeredAt);
}

function vital(
  rng: SeededRandom,
  recordedAt: Date,
  v: {
    heartRate: number;
    qtMs: number | null;
    firstQtc: number | null;
    note?: string | null;
    temp?: number;
  },
): MockVital {
  const qtcB = qtcBazett(v.qtMs, v.heartRate);
  return {
    recordedAt,
    heartRate: v.heartRate,
    systolic: rng.int(104, 138),
    diastolic: rng.int(62, 88),
    spo2: rng.int(94, 99),
    temperatureC: v.temp ?? rng.real(36.3, 37.3),
    qtMs: v.qtMs,
    qtcBazettMs: qtcB,
    qtcFridericiaMs: qtcFridericia(v.qtMs, v.heartRate),
    alerts: computeVitalAlerts({ qtcBazettMs: qtcB, firstQtcBazettMs: v.firstQtc ?? qtcB }),
    note: v.note ?? null,
  };
}

function transitions(path: readonly Phase[], times: readonly Date[]): MockTransition[] {
  return path.slice(1).map((to, i) => ({ from: path[i], to, at: times[i] }));
}

/** Patient A — ibogaine TPA, an active ~30-hour monitoring-intensive session. */
function patientA(rng: SeededRandom, now: Date): MockPatient {
  const weightKg = rng.int(58, 96);
  const durationH = rng.int(28, 31);
  const start = at(now, -durationH * HOUR - rng.int(5, 50) * MINUTE);
  const created = at(start, -rng.int(18, 30) * DAY);
  // QTc climbs to a peak 6–14 h into the session, at 488–545 ms: over the 500 ms alert in
  // most datasets and close to it in the rest. QT is derived back from the target QTc and the
  // reading's heart rate, then QTc is recomputed by the calculator like the API would.
  const baseQtc = rng.int(418, 446);
  const peakQtc = rng.int(488, 545);
  const peakHour = rng.int(3, 7) * 2; // on the 2-hourly grid
  const vitals: MockVital[] = [];
  let firstQtc: number | null = null;
  for (let h = 0; h <= durationH; h += 2) {
    const heartRate = h === 0 ? rng.int(68, 80) : rng.int(52, 74); // ibogaine bradycardia
    const closeness = Math.max(0, 1 - Math.abs(h - peakHour) / 10);
    const targetQtc =
      baseQtc + (peakQtc - baseQtc) * closeness + (h === peakHour ? 0 : rng.int(-5, 5));
    const qtMs = Math.round(targetQtc * Math.sqrt(60 / heartRate));
    const note =
      h === 0
        ? `Baseline before test dose; weight ${weightKg} kg`
        : closeness > 0.8
          ? 'Continuous EKG; QT monitoring intensified'
          : null;
    const reading = vital(rng, at(start, h * HOUR + rng.int(0, 9) * MINUTE), {
      heartRate,
      qtMs,
      firstQtc,
      note,
    });
    firstQtc ??= reading.qtcBazettMs;
    vitals.push(reading);
  }
  const mgPerKg = (value: number): number => Math.round(value * weightKg * 10) / 10;
  const doses: MockDose[] = [
    { mg: mgPerKg(rng.real(1.5, 3, 1)), at: at(start, 15 * MINUTE) }, // test dose
    { mg: mgPerKg(rng.real(8, 11, 1)), at: at(start, rng.int(70, 110) * MINUTE) }, // flood dose
    { mg: mgPerKg(rng.real(1.5, 3, 1)), at: at(start, rng.int(6, 8) * HOUR) }, // booster 1
    { mg: mgPerKg(rng.real(1, 2.5, 1)), at: at(start, rng.int(11, 14) * HOUR) }, // booster 2
  ];
  const prep = at(created, rng.int(2, 5) * DAY);
  return {
    key: 'A',
    initials: rng.letters(2),
    substance: 'ibogaine',
    // Buprenorphine (as typed by a clinician, sometimes by brand): the interaction checker's
    // flagship contraindication with ibogaine (seed 001's "What to Test").
    medications: [
      rng.pick(['buprenorphine', 'Suboxone']),
      rng.pick(['ondansetron', 'magnesium glycinate', 'omeprazole']),
    ],
    phase: 'treatment',
    weightKg,
    createdAt: created,
    transitions: transitions(
      ['intake', 'preparation', 'treatment'],
      [prep, at(start, -rng.int(1, 3) * HOUR)],
    ),
    sessions: [
      {
        substance: 'ibogaine',
        startedAt: start,
        endedAt: null,
        vitals,
        doses,
        subjectiveLogs: [],
        adverseEvents: [],
      },
    ],
    assessments: [
      phq9(rng, rng.int(15, 22), at(prep, DAY)),
      assessment('GAD7', answersFor(rng, 7, 3, rng.int(9, 16)), at(prep, DAY)),
    ],
  };
}

/** Patient B — MDMA → psilocybin, the full journey with a clear improvement arc. */
function patientB(rng: SeededRandom, now: Date): MockPatient {
  const weightKg = rng.int(55, 92);
  const created = at(now, -rng.int(80, 110) * DAY);
  const prep = at(created, rng.int(5, 10) * DAY);
  const sessionDay = at(prep, rng.int(20, 30) * DAY + 9 * HOUR);
  const integration = at(sessionDay, rng.int(1, 3) * DAY);
  const completed = rng.next() < 0.5;
  const completedAt = at(integration, rng.int(45, 60) * DAY);

  const mdmaStart = sessionDay;
  const mdmaEnd = at(mdmaStart, rng.int(5, 6) * HOUR);
  const psiloStart = at(mdmaEnd, rng.int(30, 60) * MINUTE);
  const psiloEnd = at(psiloStart, rng.int(6, 7) * HOUR);
  const vitalsEvery = (start: Date, hours: number, hr: [number, number]): MockVital[] => {
    const out: MockVital[] = [];
    for (let h = 0; h <= hours; h += 1) {
      out.push(
        vital(rng, at(start, h * HOUR + rng.int(0, 5) * MINUTE), {
          heartRate: rng.int(hr[0], hr[1]),
          qtMs: null,
          firstQtc: null,
        }),
      );
    }
    return out;
  };
  // "Ego dissolution taps" from the patient view: rising to a peak ~2–3 h in, then easing.
  const peak = rng.int(2, 3) * 60;
  const egoLogs: MockSubjectiveLog[] = [];
  for (let m = 30; m <= 6 * 60; m += 30) {
    const intensity = Math.max(
      0,
      Math.min(10, Math.round(rng.int(8, 10) - Math.abs(m - peak) / 45 + rng.int(-1, 1))),
    );
    egoLogs.push({ at: at(psiloStart, m * MINUTE), kind: 'ego_dissolution', intensity });
  }
  const mdmaLogs: MockSubjectiveLog[] = [60, 120, 180].map((m) => ({
    at: at(mdmaStart, m * MINUTE),
    kind: rng.pick(['emotional_openness', 'anxiety', 'connectedness']),
    intensity: rng.int(3, 9),
  }));
  const meqTarget = rng.int(105, 140); // of 150: a strong, often "complete" mystical experience
  const phaseTimes = completed
    ? [prep, mdmaStart, integration, completedAt]
    : [prep, mdmaStart, integration];
  const path: Phase[] = completed
    ? ['intake', 'preparation', 'treatment', 'integration', 'completed']
    : ['intake', 'preparation', 'treatment', 'integration'];
  return {
    key: 'B',
    initials: rng.letters(2),
    substance: 'mdma',
    medications: rng.next() < 0.5 ? [] : [rng.pick(['propranolol', 'melatonin', 'omeprazole'])],
    phase: completed ? 'completed' : 'integration',
    weightKg,
    createdAt: created,
    transitions: transitions(path, phaseTimes),
    sessions: [
      {
        substance: 'mdma',
        startedAt: mdmaStart,
        endedAt: mdmaEnd,
        vitals: vitalsEvery(mdmaStart, 5, [78, 104]),
        doses: [
          { mg: rng.pick([100, 110, 120, 125]), at: at(mdmaStart, 10 * MINUTE) },
          { mg: rng.pick([50, 60]), at: at(mdmaStart, rng.int(100, 140) * MINUTE) },
        ],
        subjectiveLogs: mdmaLogs,
        adverseEvents: [],
      },
      {
        substance: 'psilocybin',
        startedAt: psiloStart,
        endedAt: psiloEnd,
        vitals: vitalsEvery(psiloStart, 6, [68, 92]),
        doses: [{ mg: rng.pick([20, 25, 25, 30]), at: at(psiloStart, 5 * MINUTE) }],
        subjectiveLogs: egoLogs,
        adverseEvents: [],
      },
    ],
    assessments: [
      phq9(rng, rng.int(23, 26), at(prep, rng.int(1, 3) * DAY)),
      assessment('GAD7', answersFor(rng, 7, 3, rng.int(12, 18)), at(prep, rng.int(1, 3) * DAY)),
      assessment('MEQ30', answersFor(rng, 30, 5, meqTarget), at(psiloEnd, 30 * MINUTE)),
      phq9(rng, rng.int(10, 13), at(integration, rng.int(21, 35) * DAY)),
    ],
  };
}

/** Patient C — ketamine, an active session with a managed diaphoresis adverse event. */
function patientC(rng: SeededRandom, now: Date): MockPatient {
  const weightKg = rng.int(52, 98);
  const start = at(now, -rng.int(100, 170) * MINUTE);
  const created = at(start, -rng.int(10, 25) * DAY);
  const prep = at(created, rng.int(2, 4) * DAY);
  const onset = rng.int(25, 45);
  const event = at(start, onset * MINUTE);
  const vitals: MockVital[] = [];
  for (let m = 0; m <= 90; m += 15) {
    const duringEvent = m >= onset && m <= onset + 35;
    vitals.push(
      vital(rng, at(start, m * MINUTE), {
        heartRate: duringEvent ? rng.int(102, 118) : rng.int(74, 92),
        qtMs: null,
        firstQtc: null,
        temp: duringEvent ? rng.real(37.5, 38.1) : undefined,
        note: duringEvent ? 'Profuse sweating, flushed; see adverse event' : null,
      }),
    );
  }
  const interventions: MockIntervention[] = [
    {
      at: at(event, rng.int(1, 3) * MINUTE),
      action: 'Infusion paused; patient reassured, positioned supine',
    },
    {
      at: at(event, rng.int(4, 7) * MINUTE),
      action: 'Cool compresses applied, room temperature lowered',
    },
    {
      at: at(event, rng.int(9, 14) * MINUTE),
      action: `Oral fluids ${rng.pick([250, 300, 400])} mL; BP and HR rechecked`,
    },
    {
      at: at(event, rng.int(25, 35) * MINUTE),
      action: 'Symptoms resolved; infusion resumed at reduced rate',
    },
  ];
  return {
    key: 'C',
    initials: rng.letters(2),
    substance: 'ketamine',
    medications: [
      rng.pick(['sertraline', 'escitalopram', 'bupropion']),
      rng.pick(['lamotrigine', 'trazodone', 'melatonin']),
    ],
    phase: 'treatment',
    weightKg,
    createdAt: created,
    transitions: transitions(
      ['intake', 'preparation', 'treatment'],
      [prep, at(start, -rng.int(1, 2) * DAY)],
    ),
    sessions: [
      {
        substance: 'ketamine',
        startedAt: start,
        endedAt: null,
        vitals,
        doses: [
          {
            mg: Math.round(rng.real(0.5, 0.75, 2) * weightKg * 10) / 10,
            at: at(start, 2 * MINUTE),
          },
          {
            mg: Math.round(rng.real(0.1, 0.25, 2) * weightKg * 10) / 10,
            at: at(event, rng.int(30, 40) * MINUTE),
          },
        ],
        subjectiveLogs: [],
        adverseEvents: [
          {
            occurredAt: event,
            description: `Diaphoresis with transient tachycardia (HR ${vitals.find((v) => v.note)?.heartRate ?? 110}) ${onset} min into the infusion`,
            severity: rng.pick(['mild', 'moderate'] as const),
            resolvedAt: interventions[interventions.length - 1].at,
            interventions,
          },
        ],
      },
    ],
    assessments: [
      phq9(rng, rng.int(16, 21), at(prep, DAY)),
      // C-SSRS screener: passive ideation at most (items 1–2), so risk stays low to moderate.
      assessment(
        'CSSRS',
        [rng.int(0, 1), rng.int(0, 1), rng.next() < 0.25 ? 1 : 0, 0, 0, 0],
        at(prep, DAY),
      ),
    ],
  };
}

/** The three mock patients of one partner. Deterministic in (partnerId, now). */
export function buildMockDataset(partnerId: string, now: Date): MockDataset {
  const seed = mockSeedFor(partnerId);
  const rng = new SeededRandom(seed);
  return { seed, patients: [patientA(rng, now), patientB(rng, now), patientC(rng, now)] };
}
