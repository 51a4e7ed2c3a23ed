import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthenticatedOnly } from '../abilities/authorize.decorator';
import { Public } from '../common/decorators/public.decorator';
import { ApiErrorDto } from '../common/errors/api-error.dto';
import { ParseUuidPipe } from '../common/validation/uuid.pipe';
import { ApiAuthErrors } from './api-docs';
import { AuthService } from './auth.service';
import {
  AcceptInvitationDto,
  ChangePasswordDto,
  SessionListDto,
  LinkTokenDto,
  LoginDto,
  LogoutDto,
  MagicLinkRequestDto,
  RefreshDto,
  TokenPairDto,
} from './dto/auth.dto';
import { InvitationService } from './invitation.service';
import { MagicLinkService } from './magic-link.service';
import { CurrentUser, type Principal } from './principal';
import { AuthThrottlerGuard } from './rate-limit/auth-throttler.guard';
import { SessionsService, type TokenPair } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
@UseGuards(AuthThrottlerGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly magicLinks: MagicLinkService,
    private readonly invitations: InvitationService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Password login; the same 401 whether or not the email exists' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiAuthErrors({ unauthorized: 'unauthenticated: bad credentials' })
  login(@Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'New token pair; the presented refresh token is spent, reusing it revokes the session',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiAuthErrors({ unauthorized: 'unauthenticated: unknown, spent, expired or revoked' })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AuthenticatedOnly()
  @ApiOperation({
    summary: "Revokes the caller's session: its access and refresh tokens stop working",
  })
  @ApiNoContentResponse({ description: 'Session revoked' })
  @ApiAuthErrors()
  logout(@CurrentUser() user: Principal, @Body() body: LogoutDto): Promise<void> {
    return this.sessions.logout(user, body.refreshToken);
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @AuthenticatedOnly()
  @ApiOperation({
    summary:
      'Changes the caller’s password (current one required); every session is revoked and a new token pair is returned for this device',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiAuthErrors()
  changePassword(
    @CurrentUser() user: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<TokenPair> {
    return this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }

  @Get('sessions')
  @AuthenticatedOnly()
  @ApiOperation({
    summary: 'The caller’s active sessions (one per signed-in device), newest first',
  })
  @ApiOkResponse({ type: SessionListDto })
  @ApiAuthErrors()
  sessionsOf(@CurrentUser() user: Principal): Promise<SessionListDto> {
    return this.sessions.list(user);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AuthenticatedOnly()
  @ApiOperation({
    summary: 'Ends one of the caller’s sessions (its refresh and access tokens stop working)',
  })
  @ApiNoContentResponse({ description: 'Session ended' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'not_found: no such session of yours' })
  @ApiAuthErrors()
  endSession(
    @CurrentUser() user: Principal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    return this.sessions.revoke(user, id);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @AuthenticatedOnly()
  @ApiOperation({ summary: 'Revokes every session of the caller' })
  @ApiNoContentResponse({ description: 'All sessions revoked' })
  @ApiAuthErrors()
  logoutAll(@CurrentUser() user: Principal): Promise<void> {
    return this.auth.logoutAll(user.id);
  }

  @Post('magic-link')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Emails a one-time login link (15 min) if the account exists; always 202',
  })
  @ApiAcceptedResponse({ description: 'Accepted (whether or not the account exists)' })
  @ApiAuthErrors()
  requestMagicLink(@Body() body: MagicLinkRequestDto): Promise<void> {
    return this.magicLinks.request(body.email);
  }

  @Post('magic-link/consume')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchanges a login-link token for a token pair (single use)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiAuthErrors({ unauthorized: 'unauthenticated: unknown, spent or expired link' })
  consumeMagicLink(@Body() body: LinkTokenDto): Promise<TokenPair> {
    return this.magicLinks.consume(body.token);
  }

  @Post('invitations/accept')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accepts an invitation: activates the account, optionally sets a password, logs in',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiAuthErrors({ unauthorized: 'unauthenticated: unknown, spent or expired invitation' })
  acceptInvitation(@Body() body: AcceptInvitationDto): Promise<TokenPair> {
    return this.invitations.accept(body.token, body.password);
  }
}
