import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { Errors } from '../errors/api-exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Path ids must be UUIDs: anything else is a 400 `validation_failed` naming the parameter
 * (API.md orders 400 before 404), and never reaches SQL as a malformed value.
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw Errors.validation([
        { field: metadata.data ?? 'id', message: `${metadata.data ?? 'id'} must be a UUID` },
      ]);
    }
    return value.toLowerCase();
  }
}
