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
  Put,
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
import { ClinicDto, ClinicNameDto, ClinicPageDto } from './dto/clinic.dto';
import {
  AddTenantMemberDto,
  SeatDto,
  TenantMemberDto,
  TenantMemberPageDto,
  UpdateTenantMemberDto,
} from './dto/member.dto';
import { CreateTenantDto, TenantDto, TenantPageDto, UpdateTenantDto } from './dto/tenant.dto';
import { ClinicsService } from './clinics.service';
import { SeatsService } from './seats.service';
import { TenantMembersService } from './tenant-members.service';
import { TenantsService } from './tenants.service';

/** Tenants, their members, seats and clinics (API.md "Tenancy"; seed 003's matrix, D8). */
@ApiTags('tenancy')
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly members: TenantMembersService,
    private readonly seats: SeatsService,
    private readonly clinics: ClinicsService,
  ) {}

  @Post()
  @Authorize('create', 'Tenant')
  @ApiOperation({ summary: 'Create a tenant (PLATFORM_ADMIN)' })
  @ApiCreatedResponse({ type: TenantDto })
  create(@Access() access: AccessContext, @Body() dto: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(access, dto);
  }

  @Get()
  @Authorize('read', 'Tenant')
  @ApiOperation({ summary: 'Tenants: all for PLATFORM_ADMIN, their own for members' })
  @ApiOkResponse({ type: TenantPageDto })
  list(@Access() access: AccessContext, @Query() query: PageQueryDto): Promise<Page<TenantDto>> {
    return this.tenants.list(access, query);
  }

  @Get(':id')
  @Authorize('read', 'Tenant')
  @ApiOkResponse({ type: TenantDto })
  get(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<TenantDto> {
    return this.tenants.get(access, id);
  }

  @Patch(':id')
  @Authorize('update', 'Tenant')
  @ApiOperation({ summary: 'Update a tenant: OWNER/ADMIN (name); seatLimit PLATFORM_ADMIN only' })
  @ApiOkResponse({ type: TenantDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'seatLimit below the seats granted now' })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdateTenantDto,
  ): Promise<TenantDto> {
    return this.tenants.update(access, id, dto);
  }

  @Delete(':id')
  @Authorize('delete', 'Tenant')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a tenant: OWNER or PLATFORM_ADMIN. Seats end; check-ins stay with their authors',
  })
  @ApiNoContentResponse({ description: 'Deleted; no body' })
  remove(@Access() access: AccessContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.tenants.remove(access, id);
  }

  @Get(':id/members')
  @Authorize('read', 'TenantMember')
  @ApiOperation({ summary: 'Members: all for OWNER/ADMIN, own row for a MEMBER' })
  @ApiOkResponse({ type: TenantMemberPageDto })
  listMembers(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TenantMemberDto>> {
    return this.members.list(access, id, query);
  }

  @Post(':id/members')
  @Authorize('create', 'TenantMember')
  @ApiOperation({
    summary: 'Add a member by email (OWNER/ADMIN: role MEMBER; OWNER/ADMIN roles: PLATFORM_ADMIN)',
    description:
      'An unknown email gets an account (tier user, not activated) and an invitation email.',
  })
  @ApiCreatedResponse({ type: TenantMemberDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'already in a tenant (D5), or a platform admin',
  })
  addMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: AddTenantMemberDto,
  ): Promise<TenantMemberDto> {
    return this.members.add(access, id, dto);
  }

  @Patch(':id/members/:userId')
  @Authorize('update', 'TenantMember')
  @ApiOperation({ summary: 'Change a member’s tenant role (PLATFORM_ADMIN)' })
  @ApiOkResponse({ type: TenantMemberDto })
  updateMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
    @Body() dto: UpdateTenantMemberDto,
  ): Promise<TenantMemberDto> {
    return this.members.updateRole(access, id, userId, dto);
  }

  @Delete(':id/members/:userId')
  @Authorize('delete', 'TenantMember')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member (OWNER/ADMIN: MEMBERs), or leave (self)' })
  @ApiNoContentResponse({ description: 'Removed or left; no body' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the last OWNER cannot leave' })
  removeMember(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
  ): Promise<void> {
    return this.members.remove(access, id, userId);
  }

  @Put(':id/seats/:userId')
  @Authorize('update', 'Seat')
  @ApiOperation({
    summary: 'Grant an enterprise seat (tier user_enterprise) to a member; idempotent',
  })
  @ApiOkResponse({ type: SeatDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'all seats in use, or a tier a seat cannot replace',
  })
  grantSeat(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
  ): Promise<SeatDto> {
    return this.seats.grant(access, id, userId);
  }

  @Delete(':id/seats/:userId')
  @Authorize('delete', 'Seat')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a seat: the tier held before the grant is restored' })
  @ApiNoContentResponse({ description: 'Seat revoked, previous tier restored; no body' })
  revokeSeat(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('userId', ParseUuidPipe) userId: string,
  ): Promise<void> {
    return this.seats.revoke(access, id, userId);
  }

  @Post(':id/clinics')
  @Authorize('create', 'Clinic')
  @ApiOperation({ summary: 'Create a clinic (OWNER/ADMIN)' })
  @ApiCreatedResponse({ type: ClinicDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'name already used in the tenant' })
  createClinic(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: ClinicNameDto,
  ): Promise<ClinicDto> {
    return this.clinics.create(access, id, dto);
  }

  @Get(':id/clinics')
  @Authorize('read', 'Clinic')
  @ApiOperation({ summary: 'Clinics of a tenant (tenant members)' })
  @ApiOkResponse({ type: ClinicPageDto })
  listClinics(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ClinicDto>> {
    return this.clinics.list(access, id, query);
  }
}
