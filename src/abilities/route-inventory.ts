import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator';
import { AUTHENTICATED_ONLY_KEY, AUTHORIZE_KEY, type RouteRule } from './authorize.decorator';

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly handler: string;
  readonly access: 'public' | 'authenticated' | 'authorize' | 'undeclared';
  readonly rule: RouteRule | null;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .flatMap((p) => p.split('/'))
    .filter(Boolean);
  return `/${segments.join('/')}`;
}

/** Every route of the app with its declared access rule, read from Nest's metadata. */
@Injectable()
export class RouteInventory {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  list(): RouteInfo[] {
    const routes: RouteInfo[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prefix = this.reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype);
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (
          ...args: unknown[]
        ) => unknown;
        const path = this.reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) continue;
        const isPublic =
          this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, wrapper.metatype]) ===
          true;
        const rule = this.reflector.get<RouteRule | undefined>(AUTHORIZE_KEY, handler) ?? null;
        const authenticated =
          this.reflector.get<boolean | undefined>(AUTHENTICATED_ONLY_KEY, handler) === true;
        routes.push({
          method: RequestMethod[method],
          path: joinPath(prefix, path),
          controller: wrapper.metatype.name,
          handler: name,
          access: isPublic
            ? 'public'
            : rule
              ? 'authorize'
              : authenticated
                ? 'authenticated'
                : 'undeclared',
          rule,
        });
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}

export class UndeclaredRoutesError extends Error {
  constructor(readonly routes: readonly RouteInfo[]) {
    super(
      `Refusing to start: ${routes.length} route(s) declare no access rule (@Authorize, @AuthenticatedOnly or @Public): ` +
        routes.map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`).join(', '),
    );
    this.name = 'UndeclaredRoutesError';
  }
}

/** Default deny, checked at boot: every route states its rule, or the app does not start. */
@Injectable()
export class RouteRulesCheck implements OnApplicationBootstrap {
  constructor(private readonly inventory: RouteInventory) {}

  onApplicationBootstrap(): void {
    const undeclared = this.inventory.list().filter((r) => r.access === 'undeclared');
    if (undeclared.length) throw new UndeclaredRoutesError(undeclared);
  }
}
