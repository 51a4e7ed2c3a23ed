import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrorDto } from '../common/errors/api-error.dto';

/** The error answers every auth route can give, in API.md's body shape. */
export function ApiAuthErrors(options: { unauthorized?: string } = {}): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'validation_failed', type: ApiErrorDto }),
    ApiUnauthorizedResponse({
      description: options.unauthorized ?? 'unauthenticated',
      type: ApiErrorDto,
    }),
    ApiTooManyRequestsResponse({
      description: 'rate_limited, with a Retry-After header (seconds)',
      type: ApiErrorDto,
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    }),
  );
}
