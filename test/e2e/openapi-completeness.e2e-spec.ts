import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { startTestApp, type TestApp } from '../harness/test-app';
import { KNOWN_EXAMPLE_GAPS } from './support/openapi-known-gaps';

/**
 * What a client team needs from /docs-json for every route: who may call it (the
 * `x-authorization` extension written by @Authorize/@AuthenticatedOnly), its 401/403/404
 * answers in the error schema, and request/response DTOs with examples. A route or DTO
 * added without them fails here, naming it.
 */

interface SchemaObject {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
}
interface MediaType {
  schema?: SchemaObject;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  'x-authorization'?: {
    action?: string;
    subject?: string;
    feature?: string | null;
    authenticatedOnly?: boolean;
  };
}
interface Document {
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ERROR_REF = '#/components/schemas/ApiErrorDto';

/** operationId (`<Controller minus suffix>_<method>`, src/common/openapi.ts) of every handler reading @Body(). */
function operationsReadingABody(t: TestApp): Set<string> {
  const ids = new Set<string>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
          string,
          unknown
        >;
        if (Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY))) {
          ids.add(`${controller.name.replace(/Controller$/, '')}_${method}`);
        }
      }
    }
  }
  return ids;
}

/** `Schema.property` for every property (recursively through refs, arrays, allOf) with no example. */
function missingExamples(
  doc: Document,
  root: SchemaObject,
  seen = new Set<string>(),
): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  const visitRef = (ref: string): void => {
    const name = ref.split('/').pop() ?? ref;
    if (seen.has(name)) return;
    seen.add(name);
    const schema = doc.components.schemas[name];
    for (const [prop, propSchema] of Object.entries(schema?.properties ?? {})) {
      if (!visit(propSchema)) missing.set(name, [...(missing.get(name) ?? []), prop]);
    }
  };
  /** true when the schema documents its values (example, default, enum) or is a documented reference. */
  const visit = (schema: SchemaObject): boolean => {
    if (schema.$ref) {
      visitRef(schema.$ref);
      return true;
    }
    const composed = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
    if (composed.length > 0)
      return composed.map(visit).every(Boolean) || schema.example !== undefined;
    if (schema.example !== undefined || schema.default !== undefined || schema.enum) return true;
    if (schema.type === 'array' && schema.items) return visit(schema.items);
    // An inline object (e.g. the health check's): documented when each property is.
    if (schema.properties) return Object.values(schema.properties).map(visit).every(Boolean);
    return false;
  };
  if (!visit(root)) missing.set('(inline)', ['schema']);
  return missing;
}

describe('OpenAPI completeness (e2e)', () => {
  let t: TestApp;
  let doc: Document;
  let bodies: Set<string>;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/docs-json').expect(200)).body as Document;
    bodies = operationsReadingABody(t);
  });
  afterAll(async () => t?.close());

  const operations = (): [string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map(
        (m) => [`${m.toUpperCase()} ${path}`, item[m]] as [string, Operation],
      ),
    );

  it('sees the whole app', () => {
    expect(operations().length).toBeGreaterThan(50);
    expect(bodies.has('Auth_login')).toBe(true);
    expect(bodies.has('Patients_list')).toBe(false);
  });

  it('every non-public route states its rule and answers 401/403/404 in the error schema', () => {
    const problems: string[] = [];
    const errorAnswer = (route: string, op: Operation, status: string): void => {
      const schema = op.responses[status]?.content?.['application/json']?.schema;
      if (schema?.$ref !== ERROR_REF)
        problems.push(`${route}: no ${status} answer with ApiErrorDto`);
    };
    for (const [route, op] of operations()) {
      const rule = op['x-authorization'];
      if (!rule) {
        // Public routes carry no security requirement (the docs' "Authorize" lock).
        if (op.security?.length)
          problems.push(
            `${route}: requires a token but has no x-authorization (use @Authorize/@AuthenticatedOnly)`,
          );
        continue;
      }
      if (!op.security?.length)
        problems.push(`${route}: x-authorization without a bearer security requirement`);
      errorAnswer(route, op, '401');
      if (rule.authenticatedOnly) {
        // About the caller themself: no ability to lack (no 403), no record to miss (no 404).
        continue;
      }
      if (!rule.action || !rule.subject || rule.feature === undefined) {
        problems.push(`${route}: x-authorization lacks action, subject or feature`);
      }
      errorAnswer(route, op, '403');
      errorAnswer(route, op, '404');
    }
    expect(problems).toEqual([]);
  });

  it('every route documents its request body and a 2xx answer with a schema', () => {
    const problems: string[] = [];
    for (const [route, op] of operations()) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (bodies.has(op.operationId) && !body?.$ref)
        problems.push(`${route}: reads a body but documents no request DTO`);
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problems.push(`${route}: no 2xx answer`);
      for (const [status, response] of success) {
        const media = Object.values(response.content ?? {});
        if (media.length === 0) {
          if (status !== '202' && status !== '204')
            problems.push(`${route}: ${status} answer has no content schema`);
          else if (!response.description?.trim())
            problems.push(`${route}: ${status} answer without a description`);
        } else if (media.some((m) => !m.schema)) {
          problems.push(`${route}: ${status} answer has a media type without a schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('request and response DTOs carry examples (known gaps listed in support/openapi-known-gaps.ts)', () => {
    const missing = new Map<string, Set<string>>();
    for (const [route, op] of operations()) {
      const schemas = [
        op.requestBody?.content?.['application/json']?.schema,
        ...Object.entries(op.responses)
          .filter(([status]) => /^2\d\d$/.test(status))
          .flatMap(([, r]) => Object.values(r.content ?? {}).map((m) => m.schema)),
      ].filter((s): s is SchemaObject => s !== undefined);
      for (const schema of schemas) {
        for (const [name, props] of missingExamples(doc, schema)) {
          const key = name === '(inline)' ? `${route} (inline schema)` : name;
          missing.set(key, new Set([...(missing.get(key) ?? []), ...props]));
        }
      }
    }
    const known = new Set(Object.values(KNOWN_EXAMPLE_GAPS).flat());
    const found = [...missing.keys()].sort();
    const fresh = found
      .filter((name) => !known.has(name))
      .map((name) => `${name}: ${[...(missing.get(name) ?? [])].join(', ')}`);
    expect(fresh).toEqual([]);
    // A gap someone closed must leave the list, so it cannot silently reopen.
    expect([...known].filter((name) => !missing.has(name)).sort()).toEqual([]);
  });
});
