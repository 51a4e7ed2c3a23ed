import { computeStreak } from './streak';

describe('computeStreak', () => {
  const today = '2025-03-10';

  it('is zero without check-ins', () => {
    expect(computeStreak([], today)).toEqual({ current: 0, longest: 0 });
  });

  it('counts back from today', () => {
    expect(computeStreak(['2025-03-08', '2025-03-09', '2025-03-10'], today)).toEqual({
      current: 3,
      longest: 3,
    });
  });

  it('counts back from yesterday when there is none yet today', () => {
    expect(computeStreak(['2025-03-08', '2025-03-09'], today)).toEqual({ current: 2, longest: 2 });
  });

  it('is broken by a missed day', () => {
    expect(computeStreak(['2025-03-07', '2025-03-08'], today)).toEqual({ current: 0, longest: 2 });
  });

  it('keeps the longest run apart from the current one, ignoring duplicates and order', () => {
    const dates = [
      '2025-03-10',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-02-04',
      '2025-03-09',
      '2025-03-10',
    ];
    expect(computeStreak(dates, today)).toEqual({ current: 2, longest: 4 });
  });

  it('crosses month and year boundaries', () => {
    expect(computeStreak(['2024-12-31', '2025-01-01', '2025-01-02'], '2025-01-02')).toEqual({
      current: 3,
      longest: 3,
    });
    expect(computeStreak(['2024-02-28', '2024-02-29', '2024-03-01'], '2024-03-01')).toEqual({
      current: 3,
      longest: 3,
    });
  });
});
