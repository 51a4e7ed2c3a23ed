import { isTierExpired } from './ability.factory';

describe('isTierExpired', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('is false without an expiry', () =>
    expect(isTierExpired({ tierExpiresAt: null }, now)).toBe(false));
  it('is false before the instant', () =>
    expect(isTierExpired({ tierExpiresAt: new Date('2026-06-01T12:00:01Z') }, now)).toBe(false));
  it('is true at and after the instant', () => {
    expect(isTierExpired({ tierExpiresAt: now }, now)).toBe(true);
    expect(isTierExpired({ tierExpiresAt: new Date('2026-01-01T00:00:00Z') }, now)).toBe(true);
  });
});
