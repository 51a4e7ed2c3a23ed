import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import { ApiErrorDto } from '../../common/errors/api-error.dto';
import type { Page } from '../../common/pagination/pagination';
import { ParseUuidPipe } from '../../common/validation/uuid.pipe';
import {
  ChangePhaseDto,
  CreatePatientDto,
  ListPatientsQueryDto,
  PatientDto,
  PatientPageDto,
  UpdatePatientDto,
} from './patients.dto';
import { PATIENT_JSON_SCHEMA, PATIENT_PAGE_JSON_SCHEMA } from './patients.schemas';
import { PatientsService } from './patients.service';

@ApiTags('patients')
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @Authorize('create', 'Patient')
  @ApiOperation({
    summary: 'Create a patient (subject id generated server-side)',
    description:
      'Partner tiers always create test records (`isTest: true`, `TEST-` subject id, no clinic). ' +
      'A `basic` tier (D4) is limited to FREE_TIER_ACTIVE_PATIENTS active patients: 403 tier_limit_reached beyond.',
  })
  @ApiCreatedResponse({ type: PatientDto })
  create(@Access() access: AccessContext, @Body() dto: CreatePatientDto): Promise<PatientDto> {
    return this.patients.create(access, dto);
  }

  @Get()
  @Authorize('read', 'Patient')
  @ApiOperation({ summary: 'Patients in your data scope, newest first (archived ones excluded)' })
  @ApiOkResponse({ type: PatientPageDto })
  @RouteSchema({ response: { 200: PATIENT_PAGE_JSON_SCHEMA } })
  list(
    @Access() access: AccessContext,
    @Query() query: ListPatientsQueryDto,
  ): Promise<Page<PatientDto>> {
    return this.patients.list(access, query);
  }

  @Get(':id')
  @Authorize('read', 'Patient')
  @ApiOperation({ summary: 'One patient (404 outside your scope)' })
  @ApiOkResponse({ type: PatientDto })
  @RouteSchema({ response: { 200: PATIENT_JSON_SCHEMA } })
  get(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PatientDto> {
    return this.patients.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'Patient')
  @ApiOperation({ summary: 'Update initials, clinic, substance or medications' })
  @ApiOkResponse({ type: PatientDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'conflict: a test patient cannot join a clinic',
  })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdatePatientDto,
  ): Promise<PatientDto> {
    return this.patients.update(access, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize('delete', 'Patient')
  @ApiOperation({
    summary: 'Archive a live patient (its records are kept); delete a test patient outright',
  })
  @ApiNoContentResponse({ description: 'Archived (live) or deleted (test); no body' })
  remove(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.patients.remove(access, id);
  }

  @Post(':id/phase')
  @HttpCode(200)
  @Authorize('update', 'Patient')
  @ApiOperation({
    summary: 'Move one step forward: intake → preparation → treatment → integration → completed',
  })
  @ApiOkResponse({ type: PatientDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'conflict: not the next phase' })
  changePhase(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: ChangePhaseDto,
  ): Promise<PatientDto> {
    return this.patients.changePhase(access, id, dto.phase);
  }
}
