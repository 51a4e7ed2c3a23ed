import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FEATURES, isFeature, UNSWITCHABLE_FEATURES, type Feature } from './features';

interface FlagRow {
  feature: string;
  tenant_id: string | null;
  enabled: boolean;
}

/** How long an instance trusts its copy of the flags; a kill switch reaches every instance within it. */
const REFRESH_MS = 2_000;

/**
 * D7 kill switches: a feature switched off platform-wide or for one tenant. The table is
 * the truth (shared by every instance); each instance keeps a copy for REFRESH_MS so a
 * request does not pay a query for it, and refreshes at once after its own writes.
 */
@Injectable()
export class FeatureFlagsService {
  private platformOff = new Set<Feature>();
  private tenantOff = new Map<string, Set<Feature>>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** Changes whenever the loaded set changes: part of the ability cache key. */
  version = 0;

  constructor(private readonly dataSource: DataSource) {}

  async disabledFor(tenantId: string | null): Promise<ReadonlySet<Feature>> {
    await this.refreshIfStale();
    const tenant = tenantId ? this.tenantOff.get(tenantId) : undefined;
    if (!tenant) return this.platformOff;
    return new Set([...this.platformOff, ...tenant]);
  }

  async refresh(): Promise<void> {
    const rows: FlagRow[] = await this.dataSource.query(
      'SELECT feature, tenant_id, enabled FROM feature_flags',
    );
    const platformOff = new Set<Feature>();
    const tenantOff = new Map<string, Set<Feature>>();
    for (const row of rows) {
      if (row.enabled || !isFeature(row.feature) || UNSWITCHABLE_FEATURES.includes(row.feature))
        continue;
      if (row.tenant_id === null) platformOff.add(row.feature);
      else
        tenantOff.set(row.tenant_id, (tenantOff.get(row.tenant_id) ?? new Set()).add(row.feature));
    }
    const signature = (s: Set<Feature>, m: Map<string, Set<Feature>>): string =>
      JSON.stringify([[...s].sort(), [...m].map(([k, v]) => [k, [...v].sort()]).sort()]);
    if (signature(platformOff, tenantOff) !== signature(this.platformOff, this.tenantOff))
      this.version++;
    this.platformOff = platformOff;
    this.tenantOff = tenantOff;
    this.loadedAt = Date.now();
  }

  private async refreshIfStale(): Promise<void> {
    if (Date.now() - this.loadedAt < REFRESH_MS) return;
    this.loading ??= this.refresh().finally(() => (this.loading = null));
    await this.loading;
  }

  static readonly FEATURES = FEATURES;
}
