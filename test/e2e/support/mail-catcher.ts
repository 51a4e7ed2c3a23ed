import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  readonly to: string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly raw: string;
}

/** Decodes a quoted-printable body (RFC 2045 §6.7), bytes as UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHeaders(part: string): { headers: Map<string, string>; body: string } {
  const index = part.search(/\r?\n\r?\n/);
  const head = index === -1 ? part : part.slice(0, index);
  const body = index === -1 ? '' : part.slice(index).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Just enough MIME for nodemailer's output: one level of multipart/alternative. */
export function parseMail(raw: string): Omit<CaughtMail, 'to'> {
  const { headers, body } = splitHeaders(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const parts: { type: string; content: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitHeaders(chunk.replace(/^\r?\n/, ''));
      parts.push({
        type: (part.headers.get('content-type') ?? 'text/plain').toLowerCase(),
        content: decodeBody(part.headers, part.body),
      });
    }
  } else {
    parts.push({ type: contentType.toLowerCase(), content: decodeBody(headers, body) });
  }
  return {
    subject: headers.get('subject') ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.content ?? '',
    text: parts.find((p) => p.type.startsWith('text/plain'))?.content ?? '',
    raw,
  };
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private waiters: { match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }[] = [];
  private server: SMTPServer;
  port = 0;

  /** Recipients matching `reject` get a permanent 550 at RCPT TO. */
  constructor(reject: (address: string) => boolean = () => false) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (reject(address.address)) {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mail: CaughtMail = {
            ...parseMail(Buffer.concat(chunks).toString('utf8')),
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          this.messages.push(mail);
          const waiting = this.waiters.filter((w) => w.match(mail));
          this.waiters = this.waiters.filter((w) => !w.match(mail));
          for (const w of waiting) w.resolve(mail);
          callback();
        });
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first message to `to` (already received or arriving within `ms`). */
  waitFor(to: string, ms = 5000): Promise<CaughtMail> {
    const match = (m: CaughtMail): boolean => m.to.includes(to);
    const existing = this.messages.find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No mail to ${to} within ${ms} ms`)), ms);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The token of an emailed link, from its URL fragment. */
export function linkToken(body: string, type: 'login' | 'invite'): string {
  const match = new RegExp(`/auth/callback#type=${type}&(?:amp;)?token=([A-Za-z0-9_-]+)`).exec(
    body,
  );
  if (!match?.[1]) throw new Error(`No ${type} link in the message`);
  return match[1];
}
