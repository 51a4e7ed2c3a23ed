/**
 * Fastify response schemas of the hot read routes (GET /patients, GET /patients/:id): Fastify
 * compiles them with fast-json-stringify, which serializes a page of patients several times
 * faster than JSON.stringify (docs/benchmarks.md). They must list every PatientDto field:
 * a field missing here would be dropped from the answer (the e2e suites compare bodies).
 * Only the 200 answer is declared; errors keep the default serializer.
 */
const nullableString = { type: ['string', 'null'] } as const;

export const PATIENT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    subjectId: { type: 'string' },
    isTest: { type: 'boolean' },
    phase: { type: 'string' },
    clinicId: nullableString,
    tenantId: nullableString,
    ownerId: { type: 'string' },
    initials: nullableString,
    substance: nullableString,
    medications: { type: 'array', items: { type: 'string' } },
    archivedAt: nullableString,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  // Every field is always present (null when empty), in PatientDto's order.
  required: [
    'id',
    'subjectId',
    'isTest',
    'phase',
    'clinicId',
    'tenantId',
    'ownerId',
    'initials',
    'substance',
    'medications',
    'archivedAt',
    'createdAt',
    'updatedAt',
  ],
} as const;

export const PATIENT_PAGE_JSON_SCHEMA = {
  type: 'object',
  properties: {
    items: { type: 'array', items: PATIENT_JSON_SCHEMA },
    nextCursor: nullableString,
  },
  required: ['items', 'nextCursor'],
} as const;
