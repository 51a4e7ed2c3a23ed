import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { FORBIDDEN_CODES, type ForbiddenCode } from '../../common/errors/error-codes';

/** Label for requests no route matched (a raw URL as label would let callers mint series). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Prometheus metrics of this instance. One registry per app (not prom-client's global one),
 * so several apps in one process (the e2e suites) do not collide.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly denials = new Counter({
    name: 'authorization_denials_total',
    help: 'Answers 403, by error code (feature_disabled, role_expired, feature_denied, tenancy_denied, action_denied, tier_limit_reached)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly dataSource: DataSource,
  ) {
    const pool = (): Pool | undefined => (this.dataSource.driver as { master?: Pool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections of this instance: total (open), idle, waiting (queued requests for a connection)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Fastify hooks see every answer, including those of guards, filters and unmatched routes. */
  onModuleInit(): void {
    // The CLI runs the same modules without an HTTP server: nothing to observe there.
    const httpAdapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null;
    if (!httpAdapter) return;
    const fastify = httpAdapter.getInstance<FastifyInstance>();
    // Callback-style hooks: Fastify calls them without allocating a promise per request.
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.statusCode === 403) this.denials.inc({ code: denialCode(payload) });
      done(null, payload);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status: String(reply.statusCode),
      };
      this.requests.inc(labels);
      this.latency.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The `code` of a 403 body written by AllExceptionsFilter; `other` for anything else. */
function denialCode(payload: unknown): ForbiddenCode | 'other' {
  if (typeof payload !== 'string') return 'other';
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return (FORBIDDEN_CODES as readonly unknown[]).includes(code)
      ? (code as ForbiddenCode)
      : 'other';
  } catch {
    return 'other';
  }
}
