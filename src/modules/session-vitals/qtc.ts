/**
 * Heart-rate-corrected QT interval and the session vital alerts the API contract fixes
 * (`qtc_over_500`, `qtc_rise_over_60`). Pure functions: no NestJS, no database, no I/O.
 *
 * QT prolongation is the main cardiac risk of ibogaine (Koenig & Hilber 2015, Molecules
 * 20:2208), hence QTc on every vitals reading of a session.
 */

/** Bazett QTc above this many ms is an alert (contract: "QTc > 500 ms is an alert"). */
export const QTC_ALERT_THRESHOLD_MS = 500;
/** A Bazett QTc more than this many ms above the session's first reading is an alert. */
export const QTC_RISE_ALERT_THRESHOLD_MS = 60;

export const VITAL_ALERT_CODES = ['qtc_over_500', 'qtc_rise_over_60'] as const;
export type VitalAlertCode = (typeof VITAL_ALERT_CODES)[number];

export interface VitalAlert {
  readonly code: VitalAlertCode;
  readonly message: string;
}

export interface VitalAlertInput {
  /** This reading's Bazett QTc in ms, or null/undefined when QT or heart rate was not taken. */
  readonly qtcBazettMs: number | null | undefined;
  /**
   * Bazett QTc of the session's first reading that had one. For the first reading itself pass
   * its own value (a rise of 0), or null/undefined.
   */
  readonly firstQtcBazettMs: number | null | undefined;
}

const SECONDS_PER_MINUTE = 60;

/** Rounds half away from zero at `decimals`, ignoring binary float noise (e.g. 1.0005). */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // toPrecision(15) drops the noise below a double's ~15.9 significant digits, so that
  // 1.0005 × 1000 = 1000.4999999999999 rounds as the 1000.5 it stands for.
  return Math.round(Number((value * factor).toPrecision(15))) / factor;
}

function isPositiveFinite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** RR interval in seconds from a heart rate in beats per minute; null when unusable. */
function rrIntervalSeconds(heartRate: number | null | undefined): number | null {
  return isPositiveFinite(heartRate) ? SECONDS_PER_MINUTE / heartRate : null;
}

/**
 * Bazett's correction (Bazett 1920, Heart 7:353): QTc = QT / √RR, with RR in seconds, so the
 * result stays in ms. Rounded to 0.1 ms. Null when QT or heart rate is missing, not a finite
 * number, or not positive.
 * Example: QT 440 ms at 75 bpm → RR 0.8 s → 440 / √0.8 = 491.9 ms.
 */
export function qtcBazett(
  qtMs: number | null | undefined,
  heartRate: number | null | undefined,
): number | null {
  const rr = rrIntervalSeconds(heartRate);
  if (!isPositiveFinite(qtMs) || rr === null) return null;
  return roundTo(qtMs / Math.sqrt(rr), 1);
}

/**
 * Fridericia's correction (Fridericia 1920, Acta Med Scand 53:469): QTc = QT / ∛RR, with RR in
 * seconds. Less over-correction than Bazett at high heart rates. Rounded to 0.1 ms; null as for
 * `qtcBazett`. Example: QT 440 ms at 75 bpm → 440 / ∛0.8 = 474.0 ms.
 */
export function qtcFridericia(
  qtMs: number | null | undefined,
  heartRate: number | null | undefined,
): number | null {
  const rr = rrIntervalSeconds(heartRate);
  if (!isPositiveFinite(qtMs) || rr === null) return null;
  return roundTo(qtMs / Math.cbrt(rr), 1);
}

function formatMs(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/**
 * Alerts for one vitals reading. The contract bases both on Bazett QTc (the figure most
 * monitoring guidance for ibogaine quotes):
 * - `qtc_over_500` when QTc > 500 ms (strictly: 500.0 itself is not an alert);
 * - `qtc_rise_over_60` when QTc is more than 60 ms above the session's first reading.
 * Both can fire together. Returns [] when this reading has no QTc.
 */
export function computeVitalAlerts(input: VitalAlertInput): VitalAlert[] {
  const { qtcBazettMs, firstQtcBazettMs } = input;
  const alerts: VitalAlert[] = [];
  if (typeof qtcBazettMs !== 'number' || !Number.isFinite(qtcBazettMs)) return alerts;

  if (qtcBazettMs > QTC_ALERT_THRESHOLD_MS) {
    alerts.push({
      code: 'qtc_over_500',
      message:
        `QTc (Bazett) ${formatMs(qtcBazettMs)} is above ` + `${formatMs(QTC_ALERT_THRESHOLD_MS)}`,
    });
  }

  if (typeof firstQtcBazettMs === 'number' && Number.isFinite(firstQtcBazettMs)) {
    // Rounded to 1 µs so that float subtraction of two 0.1 ms values (e.g. 512.2 − 452.2)
    // cannot turn an exact 60 ms rise into 60.00000000000006.
    const rise = roundTo(qtcBazettMs - firstQtcBazettMs, 3);
    if (rise > QTC_RISE_ALERT_THRESHOLD_MS) {
      alerts.push({
        code: 'qtc_rise_over_60',
        message:
          `QTc (Bazett) ${formatMs(qtcBazettMs)} is ${formatMs(rise)} above the session's ` +
          `first reading of ${formatMs(firstQtcBazettMs)} ` +
          `(alert threshold: a rise of more than ${formatMs(QTC_RISE_ALERT_THRESHOLD_MS)})`,
      });
    }
  }
  return alerts;
}
