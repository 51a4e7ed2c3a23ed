import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { FeatureFlagsService } from '../../abilities/feature-flags.service';
import { FEATURES, type Feature, isFeature, UNSWITCHABLE_FEATURES } from '../../abilities/features';
import { Errors } from '../../common/errors/api-exception';
import type { Page } from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { AdminAudit } from './admin-audit';
import type { FeatureFlagDto, SetFeatureFlagDto } from './feature-flags.dto';
import { sessionContextOf } from './transactions';

interface FlagRow {
  feature: string;
  tenant_id: string | null;
  enabled: boolean;
  updated_by: string | null;
  updated_at: Date;
}

/**
 * D7 kill switches as the admin panel sees and sets them. The tier matrix stays the default
 * in code; a row here can only switch a feature off (platform-wide or for one tenant) or back
 * on. `admin_panel` is never switchable (D8): PUT answers 409 for `enabled: false` on it.
 */
@Injectable()
export class FeatureFlagsAdminService {
  constructor(
    private readonly db: Db,
    private readonly flags: FeatureFlagsService,
    private readonly audit: AdminAudit,
  ) {}

  async list(): Promise<Page<FeatureFlagDto>> {
    const rows: FlagRow[] = await this.db.manager.query(
      `SELECT feature, tenant_id, enabled, updated_by, updated_at FROM feature_flags ORDER BY updated_at, tenant_id`,
    );
    return { items: FEATURES.map((feature) => this.view(feature, rows)), nextCursor: null };
  }

  private view(feature: Feature, rows: readonly FlagRow[]): FeatureFlagDto {
    const own = rows.filter((r) => r.feature === feature);
    const platform = own.find((r) => r.tenant_id === null);
    const switchable = !UNSWITCHABLE_FEATURES.includes(feature);
    return {
      feature,
      enabled: !switchable || (platform?.enabled ?? true),
      switchable,
      updatedAt: platform?.updated_at.toISOString() ?? null,
      updatedBy: platform?.updated_by ?? null,
      tenantOverrides: own
        .filter((r): r is FlagRow & { tenant_id: string } => r.tenant_id !== null)
        .map((r) => ({
          tenantId: r.tenant_id,
          enabled: r.enabled,
          updatedAt: r.updated_at.toISOString(),
          updatedBy: r.updated_by,
        })),
    };
  }

  /**
   * Runs in its own transaction (the route is @OwnTransaction) so that the flag cache is
   * refreshed only after the change has committed: this instance enforces it from the next
   * request on, other instances within the cache's refresh interval.
   */
  async set(
    access: AccessContext,
    featureParam: string,
    dto: SetFeatureFlagDto,
  ): Promise<FeatureFlagDto> {
    if (!isFeature(featureParam))
      throw Errors.notFound(`Unknown feature ${featureParam}; features are ${FEATURES.join(', ')}`);
    const feature = featureParam;
    if (UNSWITCHABLE_FEATURES.includes(feature)) {
      if (!dto.enabled)
        throw Errors.conflict(
          `${feature} cannot be switched off: nobody could switch anything back on`,
        );
      return (await this.list()).items.find((f) => f.feature === feature) as FeatureFlagDto;
    }
    const tenantId = dto.tenantId ?? null;
    await this.db.withContext(sessionContextOf(access.principal), async () => {
      const m = this.db.manager;
      if (tenantId) {
        const tenants: unknown[] = await m.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId]);
        if (tenants.length === 0) throw Errors.notFound('Tenant not found');
      }
      const previous: { enabled: boolean }[] = await m.query(
        `SELECT enabled FROM feature_flags WHERE feature = $1 AND tenant_id IS NOT DISTINCT FROM $2`,
        [feature, tenantId],
      );
      const conflict =
        tenantId === null
          ? '(feature) WHERE tenant_id IS NULL'
          : '(tenant_id, feature) WHERE tenant_id IS NOT NULL';
      await m.query(
        `INSERT INTO feature_flags (tenant_id, feature, enabled, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT ${conflict} DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [tenantId, feature, dto.enabled, access.principal.id],
      );
      await this.audit.record(
        {
          action: 'feature_flag.set',
          subjectType: 'FeatureFlag',
          subjectId: feature,
          tenantId,
          details: {
            feature,
            enabled: dto.enabled,
            scope: tenantId ? 'tenant' : 'platform',
            previous: previous[0]?.enabled ?? null,
          },
        },
        access,
      );
    });
    await this.flags.refresh();
    return (await this.list()).items.find((f) => f.feature === feature) as FeatureFlagDto;
  }
}
