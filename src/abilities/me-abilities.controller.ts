import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../auth/principal';
import { CurrentUser } from '../auth/principal';
import { AbilityService } from './ability.service';
import { AuthenticatedOnly } from './authorize.decorator';
import { FEATURES } from './features';
import { LEVELS } from './levels';

class MeAbilitiesDto {
  @ApiProperty({
    description: 'CASL rules in packRules form',
    type: 'array',
    items: { type: 'array', items: {} },
    example: [
      ['read', 'Patient', { ownerId: '3f1c2a9e-7b4d-4e8a-9c61-2d5f8b0a4e17' }],
      ['read,update', 'CheckIn'],
    ],
  })
  rules!: unknown[];

  @ApiProperty({
    description: 'Level of each feature for the caller',
    type: 'object',
    properties: Object.fromEntries(FEATURES.map((f) => [f, { type: 'string', enum: [...LEVELS] }])),
    example: { wellness_journey: 'full', analytics: 'none' },
  })
  features!: Record<string, string>;
}

@ApiTags('me')
@Controller('me')
export class MeAbilitiesController {
  constructor(private readonly abilities: AbilityService) {}

  @Get('abilities')
  @AuthenticatedOnly()
  @ApiOkResponse({ type: MeAbilitiesDto })
  abilitiesOf(@CurrentUser() user: Principal): Promise<MeAbilitiesDto> {
    return this.abilities.describeFor(user);
  }
}
