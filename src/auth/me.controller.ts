import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedOnly } from '../abilities/authorize.decorator';
import { MeDto } from './dto/me.dto';
import { CurrentUser, type Principal } from './principal';

/** The caller's own identity and roles. Works after a time-boxed tier expired (no feature). */
export function toMe(principal: Principal): MeDto {
  return {
    id: principal.id,
    email: principal.email,
    displayName: principal.displayName,
    platformRole: principal.platformRole,
    tier: principal.tier,
    tierExpiresAt: principal.tierExpiresAt?.toISOString() ?? null,
    tenant: principal.tenant ? { id: principal.tenant.id, role: principal.tenant.role } : null,
    clinics: principal.clinics.map((c) => ({ id: c.id, role: c.role })),
  };
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @AuthenticatedOnly()
  @ApiOperation({ summary: 'Who am I: platform role, tier (and its expiry), tenant and clinics' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: Principal): MeDto {
    return toMe(user);
  }
}
