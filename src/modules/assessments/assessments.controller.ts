import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import type { Page } from '../../common/pagination/pagination';
import {
  AssessmentDto,
  AssessmentPageDto,
  CreateAssessmentDto,
  ListAssessmentsQueryDto,
} from './assessments.dto';
import { AssessmentsService } from './assessments.service';

@ApiTags('assessments')
@Controller('assessments')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Post()
  @Authorize('create', 'Assessment')
  @ApiOperation({
    summary: 'Record a PHQ-9, GAD-7, C-SSRS or MEQ-30; the score and severity are computed here',
  })
  @ApiCreatedResponse({ type: AssessmentDto })
  create(
    @Access() access: AccessContext,
    @Body() dto: CreateAssessmentDto,
  ): Promise<AssessmentDto> {
    return this.assessments.create(access, dto);
  }

  @Get()
  @Authorize('read', 'Assessment')
  @ApiOperation({
    summary: 'Assessments in your scope, newest first; ?patientId= narrows to one patient',
  })
  @ApiOkResponse({ type: AssessmentPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: ListAssessmentsQueryDto,
  ): Promise<Page<AssessmentDto>> {
    return this.assessments.list(access, query);
  }
}
