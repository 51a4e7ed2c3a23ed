import { checkInteractions } from '../protocols/interactions';
import { buildMockDataset, SeededRandom } from './mock-data';

const NOW = new Date('2026-03-01T12:00:00Z');
const P1 = '6f1c2a9e-0000-4000-8000-000000000001';
const P2 = '6f1c2a9e-0000-4000-8000-000000000002';

describe('mock partner dataset (seed 001 "Mock Record Variety Spec")', () => {
  const data = buildMockDataset(P1, NOW);
  const [a, b, c] = data.patients;

  it('is deterministic per partner and differs between partners', () => {
    expect(buildMockDataset(P1, NOW)).toEqual(data);
    const other = buildMockDataset(P2, NOW);
    expect(other).not.toEqual(data);
    // Values, not just ids: vitals, scores and doses vary.
    const fingerprint = (d: typeof data): string =>
      JSON.stringify(
        d.patients.map((p) => [
          p.initials,
          p.weightKg,
          p.sessions.map((s) => s.vitals.map((v) => v.qtMs)),
          p.assessments.map((x) => x.answers),
        ]),
      );
    expect(fingerprint(other)).not.toBe(fingerprint(data));
  });

  it('no two of many partners share a dataset', () => {
    const prints = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const d = buildMockDataset(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, NOW);
      prints.add(JSON.stringify(d.patients.map((p) => p.assessments.map((x) => x.answers))));
    }
    expect(prints.size).toBe(50);
  });

  it('every patient has a PHQ-9 baseline', () => {
    for (const p of data.patients)
      expect(p.assessments.some((x) => x.instrument === 'PHQ9')).toBe(true);
  });

  it('A: ibogaine, active ~30 h session, QT vitals every 2 h with QTc near/over 500, boosters, buprenorphine flagged', () => {
    expect(a.substance).toBe('ibogaine');
    expect(a.phase).toBe('treatment');
    const [s] = a.sessions;
    expect(s.endedAt).toBeNull();
    const hours = (NOW.getTime() - s.startedAt.getTime()) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(28);
    expect(hours).toBeLessThanOrEqual(32);
    expect(s.vitals.length).toBeGreaterThanOrEqual(14);
    for (let i = 1; i < s.vitals.length; i++) {
      const gap = s.vitals[i].recordedAt.getTime() - s.vitals[i - 1].recordedAt.getTime();
      expect(gap).toBeLessThanOrEqual(2.25 * 3_600_000);
    }
    expect(s.vitals.every((v) => v.qtMs !== null && v.qtcBazettMs !== null)).toBe(true);
    expect(Math.max(...s.vitals.map((v) => v.qtcBazettMs ?? 0))).toBeGreaterThanOrEqual(485);
    expect(s.doses.length).toBeGreaterThanOrEqual(3);
    const found = checkInteractions({ substances: [a.substance], medications: [...a.medications] });
    expect(found.interactions.some((x) => x.agent === 'buprenorphine')).toBe(true);
  });

  it('QTc alerts are consistent with the calculator across many partners (some over 500)', () => {
    let over = 0;
    for (let i = 0; i < 30; i++) {
      const [pa] = buildMockDataset(
        `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        NOW,
      ).patients;
      for (const v of pa.sessions[0].vitals) {
        const flagged = v.alerts.some((x) => x.code === 'qtc_over_500');
        expect(flagged).toBe((v.qtcBazettMs ?? 0) > 500);
        if (flagged) over++;
      }
    }
    expect(over).toBeGreaterThan(0);
  });

  it('B: MDMA → psilocybin, full journey, PHQ-9 ≈25 → ≈12, ego dissolution logs, MEQ-30', () => {
    expect(b.sessions.map((s) => s.substance)).toEqual(['mdma', 'psilocybin']);
    expect(['integration', 'completed']).toContain(b.phase);
    expect(b.transitions.map((t) => t.to)).toEqual(
      b.phase === 'completed'
        ? ['preparation', 'treatment', 'integration', 'completed']
        : ['preparation', 'treatment', 'integration'],
    );
    const phq = b.assessments.filter((x) => x.instrument === 'PHQ9');
    expect(phq).toHaveLength(2);
    expect(phq[0].score).toBeGreaterThanOrEqual(23);
    expect(phq[0].score).toBeLessThanOrEqual(26);
    expect(phq[1].score).toBeGreaterThanOrEqual(10);
    expect(phq[1].score).toBeLessThanOrEqual(13);
    expect(phq[1].administeredAt.getTime()).toBeGreaterThan(phq[0].administeredAt.getTime());
    expect(b.assessments.some((x) => x.instrument === 'MEQ30' && x.subscales !== null)).toBe(true);
    expect(
      b.sessions[1].subjectiveLogs.filter((l) => l.kind === 'ego_dissolution').length,
    ).toBeGreaterThan(5);
  });

  it('C: ketamine, diaphoresis adverse event with timestamped interventions, C-SSRS baseline', () => {
    expect(c.substance).toBe('ketamine');
    expect(c.phase).toBe('treatment');
    const [event] = c.sessions[0].adverseEvents;
    expect(event.description).toMatch(/Diaphoresis/);
    expect(event.interventions.length).toBeGreaterThanOrEqual(3);
    for (const i of event.interventions)
      expect(i.at.getTime()).toBeGreaterThan(event.occurredAt.getTime());
    expect(c.assessments.some((x) => x.instrument === 'CSSRS')).toBe(true);
  });

  it('SeededRandom stays within its bounds', () => {
    const rng = new SeededRandom('bounds');
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
    }
  });
});
