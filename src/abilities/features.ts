/** The nine tier-gated features (PRODUCT.md §3; columns of feature-matrix.csv). */
export const FEATURES = [
  'wellness_journey',
  'session_vitals',
  'baseline_assessments',
  'multi_patient_dashboard',
  'protocol_builder',
  'data_export',
  'analytics',
  'benchmark_intel',
  'admin_panel',
] as const;
export type Feature = (typeof FEATURES)[number];

/** D8: the admin panel cannot be switched off, or nobody could switch anything back on. */
export const UNSWITCHABLE_FEATURES: readonly Feature[] = ['admin_panel'];

export function isFeature(value: unknown): value is Feature {
  return typeof value === 'string' && (FEATURES as readonly string[]).includes(value);
}
