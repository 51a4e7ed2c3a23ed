import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import { ApiErrorDto } from '../../common/errors/api-error.dto';
import { CreatePartnerDto, PartnerDto, ScrubResultDto, ScrubTestDataDto } from './partners.dto';
import { PartnersService } from './partners.service';
import { TestDataService } from './test-data.service';

/** Partner beta (seed 001): provisioning and test-data scrub, PLATFORM_ADMIN only. */
@ApiTags('admin')
@Controller('admin')
export class PartnersController {
  constructor(
    private readonly partners: PartnersService,
    private readonly testData: TestDataService,
  ) {}

  @Post('partners')
  @Authorize('create', 'Partner')
  @ApiOperation({
    summary:
      'Provision a partner: account, its own mock patients A/B/C, branded invitation — one transaction (PLATFORM_ADMIN)',
  })
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'email already used' })
  @ApiServiceUnavailableResponse({
    type: ApiErrorDto,
    description: 'the invitation could not be sent; nothing was created',
  })
  provision(@Access() access: AccessContext, @Body() dto: CreatePartnerDto): Promise<PartnerDto> {
    return this.partners.provision(dto, access);
  }

  @Post('test-data/scrub')
  @Authorize('delete', 'TestData')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Delete every test row (or one partner’s) in one transaction; counts per table; audited (PLATFORM_ADMIN)',
  })
  @ApiOkResponse({ type: ScrubResultDto })
  scrub(@Access() access: AccessContext, @Body() dto: ScrubTestDataDto): Promise<ScrubResultDto> {
    return this.testData.scrub(dto.partnerId ?? null, access);
  }
}
