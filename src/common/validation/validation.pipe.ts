import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { Errors, type FieldProblem } from '../errors/api-exception';

function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator's whitelist message names the property; keep it but make it clear.
      message: message.replace(
        /^property (\S+) should not exist$/,
        'unknown field: $1 is not accepted here',
      ),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Global validation: unknown fields are rejected (400 `validation_failed`), never silently
 * dropped, so a client that sends `isTest` or `tenantId` learns it was not accepted.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => Errors.validation(flatten(errors)),
  });
}
