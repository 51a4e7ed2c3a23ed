import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, type ApiResponseOptions, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext } from '../../abilities/access-context';
import { Authorize } from '../../abilities/authorize.decorator';
import { OwnTransaction } from '../../database/request-transaction.interceptor';
import { IncludeTestQueryDto } from '../patients/clinical-sql';
import { type ExportKind, ExportsService } from './exports.service';

const DESCRIPTION =
  'Anonymised (subject ids only: no names, emails, initials or free-text notes), filtered to your data scope, ' +
  'streamed from PostgreSQL with COPY (constant memory). Test rows only for partners (their own) and for PLATFORM_ADMIN with includeTest=true.';

/**
 * A CSV answer: its header line as description and example (the body is streamed text).
 * Declared on the 200 only: errors stay application/json (ApiProduces would relabel them).
 */
function csvResponse(header: string): ApiResponseOptions {
  return {
    description: header,
    content: { 'text/csv': { schema: { type: 'string', example: `${header}\n` } } },
  };
}

@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('patients.csv')
  @Authorize('read', 'Export')
  @OwnTransaction()
  @ApiOperation({ summary: 'Patients as CSV', description: DESCRIPTION })
  @ApiOkResponse(
    csvResponse('subject_id,is_test,phase,substance,medications,created_at,archived_at'),
  )
  patients(
    @Access() access: AccessContext,
    @Query() query: IncludeTestQueryDto,
  ): Promise<StreamableFile> {
    return this.csv(access, 'patients', query);
  }

  @Get('vitals.csv')
  @Authorize('read', 'Export')
  @OwnTransaction()
  @ApiOperation({ summary: 'Vitals as CSV', description: DESCRIPTION })
  @ApiOkResponse(
    csvResponse(
      'subject_id,session_id,substance,recorded_at,heart_rate,systolic,diastolic,spo2,temperature_c,qt_ms,qtc_bazett_ms,qtc_fridericia_ms,alerts',
    ),
  )
  vitals(
    @Access() access: AccessContext,
    @Query() query: IncludeTestQueryDto,
  ): Promise<StreamableFile> {
    return this.csv(access, 'vitals', query);
  }

  @Get('assessments.csv')
  @Authorize('read', 'Export')
  @OwnTransaction()
  @ApiOperation({ summary: 'Assessments as CSV', description: DESCRIPTION })
  @ApiOkResponse(
    csvResponse('subject_id,instrument,administered_at,score,severity,complete,answers'),
  )
  assessments(
    @Access() access: AccessContext,
    @Query() query: IncludeTestQueryDto,
  ): Promise<StreamableFile> {
    return this.csv(access, 'assessments', query);
  }

  private async csv(
    access: AccessContext,
    kind: ExportKind,
    query: IncludeTestQueryDto,
  ): Promise<StreamableFile> {
    const stream = await this.exports.open(access, kind, query.includeTest);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${kind}.csv"`,
    });
  }
}
