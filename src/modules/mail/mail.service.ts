import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';
import { TemplateRenderer, type TemplateValues } from './template-renderer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * Sends mail through SMTP_URL, or (no SMTP configured) writes each message as an .eml file
 * to MAIL_OUTBOX_DIR. `send` resolves only once the SMTP server accepted the message (or the
 * file is written) and throws otherwise, so a caller inside a transaction can roll back.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly smtp: boolean;
  private readonly renderer = new TemplateRenderer();

  constructor(private readonly config: AppConfig) {
    const { SMTP_URL } = config.env;
    this.smtp = SMTP_URL !== null;
    this.transport = SMTP_URL
      ? createTransport(SMTP_URL)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  render(template: string, values: TemplateValues): { html: string; text: string } {
    return this.renderer.render(template, values);
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info: { message?: unknown; messageId?: string } = await this.transport.sendMail({
      from: this.config.env.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
    });
    if (!this.smtp) {
      if (!Buffer.isBuffer(info.message))
        throw new Error('Mail stream transport returned no buffer');
      const dir = this.config.env.MAIL_OUTBOX_DIR;
      await mkdir(dir, { recursive: true });
      const file = join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`,
      );
      await writeFile(file, info.message, { mode: 0o600 });
      // The file holds a live link token: log where it is, never its content.
      this.logger.log({ file, subject: mail.subject }, 'Mail written to outbox');
    } else {
      this.logger.log({ messageId: info.messageId, subject: mail.subject }, 'Mail sent');
    }
  }

  /** After every onModuleDestroy, so mails still being sent can finish. */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
