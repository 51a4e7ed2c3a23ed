import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import { ParseUuidPipe } from '../../common/validation/uuid.pipe';
import {
  AdverseEventDto,
  CreateAdverseEventDto,
  CreateDoseDto,
  CreateInterventionDto,
  CreateSessionDto,
  CreateSubjectiveLogDto,
  CreateVitalsDto,
  DoseDto,
  InterventionDto,
  ListSessionsQueryDto,
  SessionDetailDto,
  SessionDto,
  SessionPageDto,
  SubjectiveLogDto,
  UpdateSessionDto,
  VitalsDto,
  VitalsPageDto,
  VitalsPageQueryDto,
} from './sessions.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({ summary: 'Start a treatment session for a patient in your scope' })
  @ApiCreatedResponse({ type: SessionDto })
  create(@Access() access: AccessContext, @Body() dto: CreateSessionDto): Promise<SessionDto> {
    return this.sessions.create(access, dto);
  }

  @Get()
  @Authorize('read', 'TreatmentSession')
  @ApiOperation({
    summary: 'Sessions in your scope, newest first; ?patientId= narrows to one patient',
  })
  @ApiOkResponse({ type: SessionPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: ListSessionsQueryDto,
  ): Promise<Page<SessionDto>> {
    return this.sessions.list(access, query);
  }

  @Get(':id')
  @Authorize('read', 'TreatmentSession')
  @ApiOperation({
    summary: 'One session with its doses, adverse events (with interventions) and subjective logs',
  })
  @ApiOkResponse({ type: SessionDetailDto })
  get(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<SessionDetailDto> {
    return this.sessions.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'TreatmentSession')
  @ApiOperation({ summary: 'End (or reopen) a session' })
  @ApiOkResponse({ type: SessionDto })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdateSessionDto,
  ): Promise<SessionDto> {
    return this.sessions.update(access, id, dto);
  }

  @Post(':id/vitals')
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({
    summary: 'Log a vitals reading; QTc (Bazett, Fridericia) and alerts are computed here',
    description:
      'Alerts: qtc_over_500 (Bazett QTc > 500 ms), qtc_rise_over_60 (Bazett QTc > 60 ms above the session’s first reading with a QTc).',
  })
  @ApiCreatedResponse({ type: VitalsDto })
  addVitals(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: CreateVitalsDto,
  ): Promise<VitalsDto> {
    return this.sessions.addVitals(access, id, dto);
  }

  @Get(':id/vitals')
  @Authorize('read', 'TreatmentSession')
  @ApiOperation({ summary: 'The session’s vitals, oldest first (by recordedAt)' })
  @ApiOkResponse({ type: VitalsPageDto })
  listVitals(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: VitalsPageQueryDto,
  ): Promise<Page<VitalsDto>> {
    return this.sessions.listVitals(access, id, query);
  }

  @Post(':id/doses')
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({ summary: 'Log a dose (mg at a time)' })
  @ApiCreatedResponse({ type: DoseDto })
  addDose(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: CreateDoseDto,
  ): Promise<DoseDto> {
    return this.sessions.addDose(access, id, dto);
  }

  @Post(':id/subjective-logs')
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({ summary: 'Log a subjective experience (kind, intensity 0–10)' })
  @ApiCreatedResponse({ type: SubjectiveLogDto })
  addSubjectiveLog(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: CreateSubjectiveLogDto,
  ): Promise<SubjectiveLogDto> {
    return this.sessions.addSubjectiveLog(access, id, dto);
  }

  @Post(':id/adverse-events')
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({ summary: 'Log an adverse event, optionally with its first interventions' })
  @ApiCreatedResponse({ type: AdverseEventDto })
  addAdverseEvent(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: CreateAdverseEventDto,
  ): Promise<AdverseEventDto> {
    return this.sessions.addAdverseEvent(access, id, dto);
  }

  @Post(':id/adverse-events/:eventId/interventions')
  @Authorize('create', 'TreatmentSession')
  @ApiOperation({ summary: 'Log a timestamped intervention for an adverse event of this session' })
  @ApiCreatedResponse({ type: InterventionDto })
  addIntervention(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('eventId', ParseUuidPipe) eventId: string,
    @Body() dto: CreateInterventionDto,
  ): Promise<InterventionDto> {
    return this.sessions.addIntervention(access, id, eventId, dto);
  }
}
