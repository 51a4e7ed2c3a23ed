import { RouteInventory, type RouteInfo } from '../../src/abilities/route-inventory';
import type { TestApp } from '../harness/test-app';

/**
 * Every route of the running app, as the security sweeps see it: method, path, declared access
 * rule (Nest metadata, `RouteInventory`) joined with its OpenAPI operation (parameters and the
 * request body schema, `$ref`s resolved). The sweeps iterate this list, so a route added later
 * is swept without editing them; a route missing from the OpenAPI document fails the join.
 */

export interface JsonSchema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly example?: unknown;
  readonly default?: unknown;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly $ref?: string;
  readonly allOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonSchema }> };
  readonly responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, JsonSchema> };
}

export interface SweepRoute extends RouteInfo {
  /** `METHOD /path/:param` (Nest form), for messages and counts. */
  readonly key: string;
  /** Path parameters in order of appearance. */
  readonly pathParams: readonly string[];
  /** Path parameters naming a record (`id`, `…Id`), i.e. BOLA targets. */
  readonly idParams: readonly string[];
  readonly query: readonly OpenApiParameter[];
  /** The JSON body schema, `$ref`s resolved; null when the route takes no body. */
  readonly body: JsonSchema | null;
  readonly isAdmin: boolean;
  readonly isWrite: boolean;
}

export const ID_PARAM = /^(id|[a-z][A-Za-z]*Id)$/;

/** Resolves `$ref`s (and flattens `allOf`) so generators never meet a reference. */
export function resolveSchema(
  doc: OpenApiDocument,
  schema: JsonSchema | undefined,
  depth = 0,
): JsonSchema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`OpenAPI: unresolved ${schema.$ref}`);
    return resolveSchema(doc, target, depth + 1);
  }
  if (schema.allOf?.length) {
    return schema.allOf.reduce<JsonSchema>((acc, part) => {
      const r = resolveSchema(doc, part, depth + 1);
      return {
        ...acc,
        ...r,
        properties: { ...acc.properties, ...r.properties },
        required: [...(acc.required ?? []), ...(r.required ?? [])],
      };
    }, {});
  }
  const out: { -readonly [K in keyof JsonSchema]: JsonSchema[K] } = { ...schema };
  if (schema.items) out.items = resolveSchema(doc, schema.items, depth + 1);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolveSchema(doc, v, depth + 1)]),
    );
  }
  return out;
}

export const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function joinInventory(routes: readonly RouteInfo[], doc: OpenApiDocument): SweepRoute[] {
  const missing: string[] = [];
  const result = routes.map((route): SweepRoute => {
    const key = `${route.method} ${route.path}`;
    const op = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!op) missing.push(key);
    const params = op?.parameters ?? [];
    const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
    const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
    return {
      ...route,
      key,
      pathParams,
      idParams: pathParams.filter((p) => ID_PARAM.test(p)),
      query: params.filter((p) => p.in === 'query'),
      body: bodySchema ? resolveSchema(doc, bodySchema) : null,
      isAdmin: route.path.startsWith('/admin') || route.rule?.feature === 'admin_panel',
      isWrite: route.method !== 'GET',
    };
  });
  if (missing.length)
    throw new Error(`Routes missing from the OpenAPI document: ${missing.join(', ')}`);
  return result;
}

/** The live inventory of a test app: Nest metadata ⋈ GET /docs-json. */
export async function loadInventory(t: TestApp): Promise<SweepRoute[]> {
  const res = await t.http().get('/docs-json');
  if (res.status !== 200) throw new Error(`GET /docs-json answered ${res.status}`);
  return joinInventory(t.app.get(RouteInventory).list(), res.body as OpenApiDocument);
}

/** Substitutes `:param`s. */
export function fillPath(path: string, values: Readonly<Record<string, string>>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}
