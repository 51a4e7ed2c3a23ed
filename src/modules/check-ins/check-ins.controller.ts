import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
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
import { CheckInsService } from './check-ins.service';
import {
  CheckInDto,
  CheckInListQueryDto,
  CheckInPageDto,
  CheckInShareDto,
  CreateCheckInDto,
  ShareCheckInDto,
  StreakDto,
  UpdateCheckInDto,
} from './dto/check-in.dto';

/** Daily check-ins and their clinic shares (API.md "Check-ins"; tenancy rules, no tier feature). */
@ApiTags('check-ins')
@Controller('check-ins')
export class CheckInsController {
  constructor(private readonly checkIns: CheckInsService) {}

  @Post()
  @Authorize('create', 'CheckIn')
  @ApiOperation({ summary: 'Write a check-in (in your tenant, if you have one)' })
  @ApiCreatedResponse({ type: CheckInDto })
  create(@Access() access: AccessContext, @Body() dto: CreateCheckInDto): Promise<CheckInDto> {
    return this.checkIns.create(access, dto);
  }

  @Get()
  @Authorize('read', 'CheckIn')
  @ApiOperation({
    summary:
      'Check-ins by scope: own (default), clinic, tenant (OWNER/ADMIN; others 403 tenancy_denied)',
  })
  @ApiOkResponse({ type: CheckInPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: CheckInListQueryDto,
  ): Promise<Page<CheckInDto>> {
    return this.checkIns.list(access, query);
  }

  @Get('streak')
  @Authorize('read', 'CheckIn')
  @ApiOperation({ summary: 'Your streak of consecutive (UTC) days with a check-in' })
  @ApiOkResponse({ type: StreakDto })
  streak(@Access() access: AccessContext): Promise<StreakDto> {
    return this.checkIns.streak(access);
  }

  @Get(':id')
  @Authorize('read', 'CheckIn')
  @ApiOperation({ summary: 'One check-in (a PLATFORM_ADMIN reading a private one is audited)' })
  @ApiOkResponse({ type: CheckInDto })
  get(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<CheckInDto> {
    return this.checkIns.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'CheckIn')
  @ApiOperation({
    summary: 'Change a check-in (author or PLATFORM_ADMIN); making it private ends its shares',
  })
  @ApiOkResponse({ type: CheckInDto })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdateCheckInDto,
  ): Promise<CheckInDto> {
    return this.checkIns.update(access, id, dto);
  }

  @Delete(':id')
  @Authorize('delete', 'CheckIn')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a check-in (author or PLATFORM_ADMIN)' })
  @ApiNoContentResponse({ description: 'Deleted; no body' })
  remove(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.checkIns.remove(access, id);
  }

  @Post(':id/shares')
  @Authorize('create', 'CheckInShare')
  @ApiOperation({ summary: 'Share with a clinic you belong to (author)' })
  @ApiCreatedResponse({ type: CheckInShareDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'private, already shared, or a clinic of another tenant',
  })
  share(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: ShareCheckInDto,
  ): Promise<CheckInShareDto> {
    return this.checkIns.share(access, id, dto);
  }

  @Delete(':id/shares/:clinicId')
  @Authorize('delete', 'CheckInShare')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End a share (author, tenant OWNER/ADMIN, PLATFORM_ADMIN)' })
  @ApiNoContentResponse({ description: 'Share ended; no body' })
  unshare(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('clinicId', ParseUuidPipe) clinicId: string,
  ): Promise<void> {
    return this.checkIns.unshare(access, id, clinicId);
  }
}
