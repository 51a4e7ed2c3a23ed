import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { IS_PUBLIC_KEY } from '../../../src/common/decorators/public.decorator';

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

/**
 * Records every route Fastify registers: Nest's, and anything added straight to Fastify
 * (plugins, Swagger), which no Nest guard sees. Must be called before `app.init()`.
 */
export function recordRoutes(adapter: FastifyAdapter): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routes.push({ method: String(method).toUpperCase(), url: route.url });
  });
  return routes;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .flatMap((p) => (Array.isArray(p) ? p : [p ?? '']))
    .flatMap((p) => p.split('/'))
    .filter(Boolean);
  return `/${segments.join('/')}`;
}

/** `METHOD path` → whether its Nest handler (or controller) is marked @Public(). */
export function nestPublicMap(app: NestFastifyApplication): Map<string, boolean> {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const map = new Map<string, boolean>();
  for (const wrapper of discovery.getControllers()) {
    const metatype = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    const instance = wrapper.instance as object | undefined;
    if (!metatype || !instance) continue;
    const prefix = reflector.get<string | string[] | undefined>(PATH_METADATA, metatype);
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const paths = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
      if (paths === undefined || method === undefined) continue;
      const isPublic =
        reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [handler, metatype]) ===
        true;
      for (const path of Array.isArray(paths) ? paths : [paths]) {
        map.set(`${RequestMethod[method]} ${joinPath(prefix, path)}`, isPublic);
      }
    }
  }
  return map;
}

export interface WalkOptions {
  /** Routes outside Nest that are public on purpose (no metadata to read there). */
  readonly publicRawRoutes: (route: RegisteredRoute) => boolean;
}

export interface Offender extends RegisteredRoute {
  readonly status: number;
  readonly reason: string;
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, SAMPLE_ID).replace(/\*/g, 'x');
}

/**
 * Calls every registered route without a token. A route must answer 401 `unauthenticated`
 * unless its handler is @Public() (Nest routes) or it is an allow-listed raw route. Returns
 * the routes that broke the rule (empty = every route is guarded).
 */
export async function findUnguardedRoutes(
  app: NestFastifyApplication,
  routes: readonly RegisteredRoute[],
  options: WalkOptions,
): Promise<{ offenders: Offender[]; checked: RegisteredRoute[]; publicRoutes: RegisteredRoute[] }> {
  const nest = nestPublicMap(app);
  const offenders: Offender[] = [];
  const checked: RegisteredRoute[] = [];
  const publicRoutes: RegisteredRoute[] = [];
  const server = app.getHttpServer();
  const unique = [...new Map(routes.map((r) => [`${r.method} ${r.url}`, r])).values()];
  for (const route of unique) {
    // Fastify adds HEAD for every GET; it runs the GET handler, so it takes the GET's rule.
    const nestMethod = route.method === 'HEAD' ? 'GET' : route.method;
    const isPublic =
      nest.get(`${nestMethod} ${route.url}`) ??
      nest.get(`ALL ${route.url}`) ??
      options.publicRawRoutes(route);
    if (isPublic) {
      publicRoutes.push(route);
      continue;
    }
    checked.push(route);
    const verb = route.method.toLowerCase() as
      'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
    let call = request(server)[verb](concreteUrl(route.url));
    if (['post', 'put', 'patch'].includes(verb)) call = call.send({});
    const res = await call;
    const code = (res.body as { code?: unknown } | undefined)?.code;
    if (res.status !== 401) {
      offenders.push({
        ...route,
        status: res.status,
        reason: `answered ${res.status} without a token`,
      });
    } else if (verb !== 'head' && code !== 'unauthenticated') {
      offenders.push({ ...route, status: res.status, reason: `401 without code unauthenticated` });
    }
  }
  return { offenders, checked, publicRoutes };
}
