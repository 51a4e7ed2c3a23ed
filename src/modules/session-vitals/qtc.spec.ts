import {
  QTC_ALERT_THRESHOLD_MS,
  QTC_RISE_ALERT_THRESHOLD_MS,
  VITAL_ALERT_CODES,
  computeVitalAlerts,
  qtcBazett,
  qtcFridericia,
} from './qtc';

describe('qtcBazett — QT / √(60 / HR)', () => {
  it('worked example: QT 440 ms at 75 bpm → RR 0.8 s → 440 / 0.894427… = 491.93… → 491.9', () => {
    expect(qtcBazett(440, 75)).toBe(491.9);
  });

  it('at 60 bpm (RR = 1 s) QTc equals QT', () => {
    expect(qtcBazett(420, 60)).toBe(420);
  });

  it('corrects upwards above 60 bpm and downwards below', () => {
    // 400 / √0.6 = 400 / 0.774597 = 516.397… → 516.4
    expect(qtcBazett(400, 100)).toBe(516.4);
    // 480 / √1.2 = 480 / 1.095445 = 438.178… → 438.2
    expect(qtcBazett(480, 50)).toBe(438.2);
    // 420 / √(2/3) = 420 / 0.816497 = 514.392… → 514.4
    expect(qtcBazett(420, 90)).toBe(514.4);
  });

  it.each([
    [null, 75],
    [undefined, 75],
    [440, null],
    [440, undefined],
    [0, 75],
    [440, 0],
    [-440, 75],
    [440, -75],
    [Number.NaN, 75],
    [440, Number.NaN],
    [440, Infinity],
    [Infinity, 75],
  ])('returns null for QT %p and HR %p', (qtMs, heartRate) => {
    expect(qtcBazett(qtMs, heartRate)).toBeNull();
  });
});

describe('qtcFridericia — QT / ∛(60 / HR)', () => {
  it('worked example: QT 440 ms at 75 bpm → 440 / ∛0.8 = 440 / 0.928318 = 473.9756… → 474.0', () => {
    expect(qtcFridericia(440, 75)).toBe(474);
  });

  it('at 60 bpm equals QT', () => {
    expect(qtcFridericia(420, 60)).toBe(420);
  });

  it('corrects less than Bazett at high and low rates', () => {
    // 400 / ∛0.6 = 400 / 0.843433 = 474.252… → 474.3
    expect(qtcFridericia(400, 100)).toBe(474.3);
    // 480 / ∛1.2 = 480 / 1.062659 = 451.697… → 451.7
    expect(qtcFridericia(480, 50)).toBe(451.7);
    // 420 / ∛(2/3) = 420 / 0.873580 = 480.779… → 480.8
    expect(qtcFridericia(420, 90)).toBe(480.8);
  });

  it('returns null when QT or HR is missing or non-positive', () => {
    expect(qtcFridericia(null, 75)).toBeNull();
    expect(qtcFridericia(440, undefined)).toBeNull();
    expect(qtcFridericia(440, 0)).toBeNull();
    expect(qtcFridericia(-1, 75)).toBeNull();
  });
});

describe('computeVitalAlerts', () => {
  it('exports the contract codes and thresholds', () => {
    expect(VITAL_ALERT_CODES).toEqual(['qtc_over_500', 'qtc_rise_over_60']);
    expect(QTC_ALERT_THRESHOLD_MS).toBe(500);
    expect(QTC_RISE_ALERT_THRESHOLD_MS).toBe(60);
  });

  it('no QTc on this reading → no alerts', () => {
    expect(computeVitalAlerts({ qtcBazettMs: null, firstQtcBazettMs: 480 })).toEqual([]);
    expect(computeVitalAlerts({ qtcBazettMs: undefined, firstQtcBazettMs: undefined })).toEqual([]);
  });

  it('a normal first reading → no alerts', () => {
    expect(computeVitalAlerts({ qtcBazettMs: 491.9, firstQtcBazettMs: 491.9 })).toEqual([]);
  });

  it('500.0 ms is not over 500; 500.1 ms is', () => {
    expect(computeVitalAlerts({ qtcBazettMs: 500, firstQtcBazettMs: 480 })).toEqual([]);
    expect(computeVitalAlerts({ qtcBazettMs: 500.1, firstQtcBazettMs: 480 })).toEqual([
      { code: 'qtc_over_500', message: 'QTc (Bazett) 500.1 ms is above 500.0 ms' },
    ]);
  });

  it('the first reading alone can be over 500', () => {
    expect(computeVitalAlerts({ qtcBazettMs: 516.4, firstQtcBazettMs: null })).toEqual([
      { code: 'qtc_over_500', message: 'QTc (Bazett) 516.4 ms is above 500.0 ms' },
    ]);
  });

  it('a rise of exactly 60 ms is not an alert, even where float subtraction drifts', () => {
    // In binary floating point 512.2 − 452.2 = 60.00000000000006.
    expect(computeVitalAlerts({ qtcBazettMs: 512.2, firstQtcBazettMs: 452.2 })).toEqual([
      { code: 'qtc_over_500', message: 'QTc (Bazett) 512.2 ms is above 500.0 ms' },
    ]);
    expect(computeVitalAlerts({ qtcBazettMs: 480, firstQtcBazettMs: 420 })).toEqual([]);
  });

  it('a rise of 60.1 ms below 500 raises only the rise alert', () => {
    expect(computeVitalAlerts({ qtcBazettMs: 480.1, firstQtcBazettMs: 420 })).toEqual([
      {
        code: 'qtc_rise_over_60',
        message:
          "QTc (Bazett) 480.1 ms is 60.1 ms above the session's first reading of 420.0 ms " +
          '(alert threshold: a rise of more than 60.0 ms)',
      },
    ]);
  });

  it('both alerts together, over-500 first', () => {
    // 530.5 − 455.0 = 75.5 ms rise
    const alerts = computeVitalAlerts({ qtcBazettMs: 530.5, firstQtcBazettMs: 455 });
    expect(alerts.map((alert) => alert.code)).toEqual(['qtc_over_500', 'qtc_rise_over_60']);
    expect(alerts[0].message).toContain('530.5 ms');
    expect(alerts[1].message).toContain('75.5 ms above');
    expect(alerts[1].message).toContain('455.0 ms');
  });

  it('a fall is never a rise alert', () => {
    expect(computeVitalAlerts({ qtcBazettMs: 400, firstQtcBazettMs: 480 })).toEqual([]);
  });

  it('works end to end from raw QT and heart rate', () => {
    // First reading: QT 440 @ 75 → 491.9. Later: QT 460 @ 100 → 460 / √0.6 = 593.86… → 593.9,
    // 593.9 − 491.9 = 102.0 ms rise.
    const first = qtcBazett(440, 75);
    const later = qtcBazett(460, 100);
    expect(later).toBe(593.9);
    const alerts = computeVitalAlerts({ qtcBazettMs: later, firstQtcBazettMs: first });
    expect(alerts.map((alert) => alert.code)).toEqual(['qtc_over_500', 'qtc_rise_over_60']);
    expect(alerts[1].message).toContain('102.0 ms above');
  });
});
