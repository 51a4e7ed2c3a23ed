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
import { type Page, PageQueryDto } from '../../common/pagination/pagination';
import { ParseUuidPipe } from '../../common/validation/uuid.pipe';
import { ClinicMembersService } from './clinic-members.service';
import { ClinicsService } from './clinics.service';
import { ClinicDto, ClinicNameDto } from './dto/clinic.dto';
import {
  AddClinicMemberDto,
  ClinicMemberDto,
  ClinicMemberPageDto,
  UpdateClinicMemberDto,
} from './dto/member.dto';

/** A clinic and its members (API.md "Tenancy"). */
@ApiTags('tenancy')
@Controller('clinics')
export class ClinicsController {
  constructor(
    private readonly clinics: ClinicsService,
    private readonly members: ClinicMembersService,
  ) {}

  @Get(':id')
  @Authorize('read', 'Clinic')
  @ApiOkResponse({ type: ClinicDto })
  get(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<ClinicDto> {
    return this.clinics.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'Clinic')
  @ApiOperation({ summary: 'Rename a clinic (OWNER/ADMIN, clinic ADMIN of it)' })
  @ApiOkResponse({ type: ClinicDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'name already used in the tenant' })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: ClinicNameDto,
  ): Promise<ClinicDto> {
    return this.clinics.update(access, id, dto);
  }

  @Delete(':id')
  @Authorize('delete', 'Clinic')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a clinic (OWNER/ADMIN); its memberships and shares end' })
  @ApiNoContentResponse({ description: 'Deleted; no body' })
  remove(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.clinics.remove(access, id);
  }

  @Get(':id/members')
  @Authorize('read', 'ClinicMember')
  @ApiOperation({ summary: 'Members of a clinic (tenant OWNER/ADMIN, members of that clinic)' })
  @ApiOkResponse({ type: ClinicMemberPageDto })
  listMembers(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ClinicMemberDto>> {
    return this.members.list(access, id, query);
  }

  @Post(':id/members')
  @Authorize('create', 'ClinicMember')
  @ApiOperation({
    summary: 'Add a tenant member to the clinic (OWNER/ADMIN; clinic ADMIN of it: role MEMBER)',
  })
  @ApiCreatedResponse({ type: ClinicMemberDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'already in the clinic, or MEMBER of another clinic (D5)',
  })
  addMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: AddClinicMemberDto,
  ): Promise<ClinicMemberDto> {
    return this.members.add(access, id, dto);
  }

  @Patch(':id/members/:userId')
  @Authorize('update', 'ClinicMember')
  @ApiOperation({ summary: 'Promote to / demote from clinic ADMIN (OWNER/ADMIN)' })
  @ApiOkResponse({ type: ClinicMemberDto })
  updateMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
    @Body() dto: UpdateClinicMemberDto,
  ): Promise<ClinicMemberDto> {
    return this.members.updateRole(access, id, userId, dto);
  }

  @Delete(':id/members/:userId')
  @Authorize('delete', 'ClinicMember')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove from the clinic (OWNER/ADMIN, clinic ADMIN for MEMBERs), or leave (self)',
  })
  @ApiNoContentResponse({ description: 'Removed or left; no body' })
  removeMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
  ): Promise<void> {
    return this.members.remove(access, id, userId);
  }
}
