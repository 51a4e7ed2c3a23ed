import fc from 'fast-check';
import type { JsonSchema, SweepRoute } from './route-inventory';
import { NO_RECORD, validObject, validValue } from './schema-values';
import type { Bundle } from './world';

/**
 * fast-check arbitraries derived from a route's OpenAPI schema: valid values, boundary values
 * (min−1, max+1, maxLength+1, empty, …) and malformed ones (wrong types, injection strings,
 * prototype keys, huge and binary strings), for bodies, path and query parameters and headers.
 */

const NASTY_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '$where',
  '{"$gt":""}',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '\uffff\ud800',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  'A'.repeat(10_000),
  '😀'.repeat(300),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-13-45T99:99:99Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
];

export const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...NASTY_STRINGS),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );

export const malformedValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(
      Number.MAX_SAFE_INTEGER + 2,
      -Number.MAX_VALUE,
      1e308,
      -0,
      0.1 + 0.2,
      2 ** 31,
      -(2 ** 31) - 1,
    ),
    nastyString(),
    fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxLength: 5 }),
    fc.constant(Array.from({ length: 1000 }, (_, i) => i)),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    fc.constant({ __proto__: { isAdmin: true } }),
    fc.constant({ $ne: null }),
  );

export function boundaryValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options: unknown[] = [];
  if (schema.type === 'number' || schema.type === 'integer') {
    const { minimum: min, maximum: max } = schema;
    if (min !== undefined) options.push(min, min - 1, min - 0.5);
    if (max !== undefined) options.push(max, max + 1, max + 0.5);
    options.push(0, -1, 1.5, 1e15);
  }
  if (schema.type === 'string' || schema.format) {
    if (schema.maxLength !== undefined)
      options.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
    if (schema.minLength !== undefined) options.push('x'.repeat(Math.max(schema.minLength - 1, 0)));
    options.push('', ' ');
  }
  if (schema.type === 'array') {
    options.push([]);
    if (schema.maxItems !== undefined)
      options.push(Array.from({ length: schema.maxItems + 1 }, () => 1));
  }
  if (schema.enum?.length)
    options.push(String(schema.enum[0]).toLowerCase(), `${String(schema.enum[0])} `);
  if (schema.nullable) options.push(null);
  return options.length ? fc.constantFrom(...options) : malformedValue();
}

/** A valid value that fast-check may vary within the schema's bounds. */
export function validArb(schema: JsonSchema, name: string, refs: Bundle): fc.Arbitrary<unknown> {
  const base = fc.constant(validValue(schema, name, refs));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.format === 'date-time') {
    return fc.oneof(
      base,
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    );
  }
  if (schema.format === 'uuid') return fc.oneof(base, fc.uuid(), fc.constant(NO_RECORD));
  if (schema.type === 'number' || schema.type === 'integer') {
    const min = schema.minimum ?? -1e6;
    const max = schema.maximum ?? 1e6;
    return fc.oneof(base, fc.integer({ min: Math.ceil(min), max: Math.floor(max) }));
  }
  if (schema.type === 'string' && !/email/i.test(name)) {
    return fc.oneof(
      base,
      fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 64, 64),
      }),
    );
  }
  return base;
}

export function bodyArb(
  route: SweepRoute,
  refs: Bundle,
): fc.Arbitrary<{ body: unknown; raw?: string }> {
  const schema = route.body ?? { type: 'object', properties: {} };
  const props = Object.entries(schema.properties ?? {});
  const valid = (): Record<string, unknown> => validObject(schema, refs);
  const allValid = props.length
    ? fc.record(Object.fromEntries(props.map(([name, s]) => [name, validArb(s, name, refs)])), {
        requiredKeys: [...(schema.required ?? [])].filter((k) => props.some(([n]) => n === k)),
      })
    : fc.constant({});
  const oneField = (
    arb: (s: JsonSchema) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<Record<string, unknown>> =>
    props.length
      ? fc
          .constantFrom(...props)
          .chain(([name, s]) => arb(s).map((v) => ({ ...valid(), [name]: v })))
      : fc.constant({});
  return fc.oneof(
    { weight: 4, arbitrary: allValid.map((body) => ({ body })) },
    { weight: 3, arbitrary: oneField(boundaryValue).map((body) => ({ body })) },
    { weight: 3, arbitrary: oneField(() => malformedValue()).map((body) => ({ body })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('__proto__', 'constructor', 'prototype', 'isTest', 'ownerId', 'x'.repeat(300))
        .map((key) => ({
          body: JSON.parse(`{${JSON.stringify(key)}: {"polluted": true}}`) as unknown,
        })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((body) => ({ body })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"a":',
          'null',
          '[]',
          '"str"',
          '\u0000',
          '{"a":1}{"b":2}',
          `{"a":"${'x'.repeat(1_100_000)}"}`,
        )
        .map((raw) => ({ body: undefined, raw })),
    },
  );
}

export function paramArb(values: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...values) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: nastyString().filter((s) => s.length > 0 && s.length < 2000) },
  );
}

export function queryArb(route: SweepRoute, refs: Bundle): fc.Arbitrary<Record<string, string>> {
  if (!route.query.length) return fc.constant({});
  const entries = route.query.map((q) => {
    const schema = q.schema ?? {};
    const value = fc.oneof(
      validArb(schema, q.name, refs).map((v) => String(v)),
      boundaryValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      nastyString(),
    );
    return [q.name, fc.option(value, { nil: undefined })] as const;
  });
  return fc.record(Object.fromEntries(entries)).map((record) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(record)) if (typeof v === 'string') out[k] = v;
    return out;
  });
}

export const contentTypeArb = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json; charset=latin1',
        '',
      ),
    },
  );

/** What no answer may contain: stack frames, SQL, file paths, driver or runtime error names. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w.<>]+ \(.*:\d+:\d+\)/,
  /\n\s+at /,
  /(\/work\/|\/home\/|\/usr\/|node_modules|[A-Za-z]:\\)/,
  /\.(ts|js):\d+/,
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/,
  /syntax error at|violates (foreign key|check|unique|not-null)|relation "|column "|duplicate key/i,
  /QueryFailedError|TypeError|ReferenceError|RangeError|SyntaxError: Unexpected|EntityNotFound|ECONNREFUSED/,
];
