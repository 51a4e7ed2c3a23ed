/** Days since the epoch of a `YYYY-MM-DD` UTC date. */
function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/**
 * Check-in streaks over the UTC dates of a user's check-ins (any order, duplicates allowed).
 * `current` counts back from today, or from yesterday when there is none yet today (the
 * streak is not lost until a whole day is missed); `longest` is the longest run ever.
 */
export function computeStreak(
  dates: readonly string[],
  today: string,
): { current: number; longest: number } {
  const days = [...new Set(dates.map(dayNumber))].sort((a, b) => a - b);
  const todayNumber = dayNumber(today);
  let longest = 0;
  let run = 0;
  let previous: number | undefined;
  let current = 0;
  for (const day of days) {
    run = previous !== undefined && day === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    if (day === todayNumber || day === todayNumber - 1) current = run;
    previous = day;
  }
  return { current, longest };
}
