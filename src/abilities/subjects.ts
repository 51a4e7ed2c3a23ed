import type { Feature } from './features';

/**
 * CASL subject types. Clinical subjects belong to a tier-gated feature; tenancy subjects
 * (D8) follow seed 003's matrix whatever the tier.
 */
export const CLINICAL_SUBJECTS = {
  Patient: 'wellness_journey',
  TreatmentSession: 'session_vitals',
  Assessment: 'baseline_assessments',
  Dashboard: 'multi_patient_dashboard',
  Protocol: 'protocol_builder',
  Export: 'data_export',
  Analytics: 'analytics',
  BenchmarkCohort: 'benchmark_intel',
  AdminUser: 'admin_panel',
  Partner: 'admin_panel',
  TestData: 'admin_panel',
  AuditLog: 'admin_panel',
  FeatureFlag: 'admin_panel',
} as const satisfies Record<string, Feature>;
export type ClinicalSubject = keyof typeof CLINICAL_SUBJECTS;

export const TENANCY_SUBJECTS = [
  'Tenant',
  'Clinic',
  'TenantMember',
  'ClinicMember',
  'Seat',
  'CheckIn',
  'CheckInShare',
] as const;
export type TenancySubject = (typeof TENANCY_SUBJECTS)[number];

export type SubjectType = ClinicalSubject | TenancySubject;

export function featureOfSubject(subject: SubjectType): Feature | null {
  return subject in CLINICAL_SUBJECTS ? CLINICAL_SUBJECTS[subject as ClinicalSubject] : null;
}

export function subjectsOfFeature(feature: Feature): ClinicalSubject[] {
  return (Object.keys(CLINICAL_SUBJECTS) as ClinicalSubject[]).filter(
    (s) => CLINICAL_SUBJECTS[s] === feature,
  );
}

/** Records under a patient take the patient's scope (D12): their conditions go through `patient.`. */
export const PATIENT_CHILD_SUBJECTS = [
  'TreatmentSession',
  'Assessment',
] as const satisfies readonly ClinicalSubject[];
