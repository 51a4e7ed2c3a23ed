import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import { ParseUuidPipe } from '../../common/validation/uuid.pipe';
import { INTERACTION_DISCLAIMER } from './interactions';
import {
  CreateProtocolDto,
  DoseCalculationDto,
  DoseCalculationResultDto,
  InteractionCheckDto,
  InteractionCheckResultDto,
  ListProtocolsQueryDto,
  ProtocolDto,
  ProtocolPageDto,
  UpdateProtocolDto,
} from './protocols.dto';
import { ProtocolsService } from './protocols.service';

@ApiTags('protocols')
@Controller('protocols')
export class ProtocolsController {
  constructor(private readonly protocols: ProtocolsService) {}

  // The two computations are declared before `:id` so that Fastify's router never reads them as ids.
  @Post('dose-calculation')
  @HttpCode(200)
  @Authorize('read', 'Protocol')
  @ApiOperation({
    summary:
      'Running cumulative mg and mg/kg over timestamped doses, with ceiling warnings (stores nothing)',
    description:
      'Allowed for read tiers. With protocolId (a protocol you can read, else 404) its ceiling applies; given both, the lower one.',
  })
  @ApiOkResponse({ type: DoseCalculationResultDto })
  doseCalculation(
    @Access() access: AccessContext,
    @Body() dto: DoseCalculationDto,
  ): Promise<DoseCalculationResultDto> {
    return this.protocols.doseCalculation(access, dto);
  }

  @Post('interaction-check')
  @HttpCode(200)
  @Authorize('read', 'Protocol')
  @ApiOperation({
    summary: 'Known interactions between substances and medications (stores nothing)',
    description:
      `${INTERACTION_DISCLAIMER} Reads the seeded contraindications and drug_synonyms tables; names match case-insensitively ` +
      'and by common brand names (Suboxone → buprenorphine). With patientId (in your scope, else 404) the patient’s medications join in. Allowed for read tiers.',
  })
  @ApiOkResponse({ type: InteractionCheckResultDto })
  interactionCheck(
    @Access() access: AccessContext,
    @Body() dto: InteractionCheckDto,
  ): Promise<InteractionCheckResultDto> {
    return this.protocols.interactionCheck(access, dto);
  }

  @Post()
  @Authorize('create', 'Protocol')
  @ApiOperation({ summary: 'Create a dosing protocol (partner tiers create test protocols)' })
  @ApiCreatedResponse({ type: ProtocolDto })
  create(@Access() access: AccessContext, @Body() dto: CreateProtocolDto): Promise<ProtocolDto> {
    return this.protocols.create(access, dto);
  }

  @Get()
  @Authorize('read', 'Protocol')
  @ApiOperation({ summary: 'Your protocols and your tenant’s shared library, newest first' })
  @ApiOkResponse({ type: ProtocolPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: ListProtocolsQueryDto,
  ): Promise<Page<ProtocolDto>> {
    return this.protocols.list(access, query);
  }

  @Get(':id')
  @Authorize('read', 'Protocol')
  @ApiOperation({ summary: 'One protocol (404 outside your scope)' })
  @ApiOkResponse({ type: ProtocolDto })
  get(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ProtocolDto> {
    return this.protocols.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'Protocol')
  @ApiOperation({
    summary: 'Update a protocol (its owner; tenant OWNER/ADMIN for the tenant library)',
  })
  @ApiOkResponse({ type: ProtocolDto })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdateProtocolDto,
  ): Promise<ProtocolDto> {
    return this.protocols.update(access, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize('delete', 'Protocol')
  @ApiOperation({ summary: 'Delete a protocol' })
  @ApiNoContentResponse({ description: 'Deleted; no body' })
  remove(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.protocols.remove(access, id);
  }
}
