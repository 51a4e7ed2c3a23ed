import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log writer; global so every feature module can record without importing it. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
