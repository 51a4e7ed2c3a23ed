import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
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
import type { Page } from '../../common/pagination/pagination';
import { ParseUuidPipe } from '../../common/validation/uuid.pipe';
import {
  AdminUserDto,
  AdminUserPageDto,
  CreateAdminUserDto,
  ListAdminUsersQueryDto,
  UpdateAdminUserDto,
} from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';

/** Users in the admin panel (API.md "Admin panel"): PLATFORM_ADMIN everything, tenant OWNER/ADMIN read their tenant. */
@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @Authorize('read', 'AdminUser')
  @ApiOperation({
    summary: 'Users: all for PLATFORM_ADMIN, their tenant’s for tenant OWNER/ADMIN; newest first',
  })
  @ApiOkResponse({ type: AdminUserPageDto })
  list(
    @Access() access: AccessContext,
    @Query() query: ListAdminUsersQueryDto,
  ): Promise<Page<AdminUserDto>> {
    return this.users.list(access, query);
  }

  @Get(':id')
  @Authorize('read', 'AdminUser')
  @ApiOkResponse({ type: AdminUserDto })
  get(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<AdminUserDto> {
    return this.users.get(access, id);
  }

  @Post()
  @Authorize('create', 'AdminUser')
  @ApiOperation({
    summary:
      'Create a user (PLATFORM_ADMIN); without password an invitation email is sent in the same transaction',
  })
  @ApiCreatedResponse({ type: AdminUserDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'email already used' })
  @ApiServiceUnavailableResponse({
    type: ApiErrorDto,
    description: 'the invitation could not be sent; nothing was created',
  })
  create(@Access() access: AccessContext, @Body() dto: CreateAdminUserDto): Promise<AdminUserDto> {
    return this.users.create(dto, access);
  }

  @Patch(':id')
  @Authorize('update', 'AdminUser')
  @ApiOperation({
    summary:
      'Change tier, expiry, platform role or disabled (PLATFORM_ADMIN); audited, bumps token_version',
  })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'PLATFORM_ADMIN for a tenant member, or removing the last PLATFORM_ADMIN',
  })
  update(
    @Access() access: AccessContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() dto: UpdateAdminUserDto,
  ): Promise<AdminUserDto> {
    return this.users.update(id, dto, access);
  }
}
