import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvitationService } from '../../src/auth/invitation.service';
import { createUser } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import { linkToken, MailCatcher, parseMail } from './support/mail-catcher';

/** Magic links and invitations, delivered over real SMTP and consumed through the API. */
describe('Magic links and invitations (e2e)', () => {
  let smtp: MailCatcher;
  let t: TestApp;

  beforeAll(async () => {
    smtp = new MailCatcher((address) => address.startsWith('reject-'));
    const url = await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: url, RATE_LIMIT_AUTH_PER_IP: '100000' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const me = (token: string) => t.http().get('/me').set('authorization', `Bearer ${token}`);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('magic link', () => {
    it('mails a one-time login link in the URL fragment; consumed once (200), then 401', async () => {
      const user = await createUser(t.dataSource, { displayName: 'Dr. <Script> Allen' });
      const res = await t.http().post('/auth/magic-link').send({ email: user.email }).expect(202);
      expect(res.body).toEqual({});
      const mail = await smtp.waitFor(user.email);
      expect(mail.subject).toBe('Your PPN sign-in link');
      const token = linkToken(mail.text, 'login');
      expect(linkToken(mail.html, 'login')).toBe(token);
      expect(mail.text).toContain(`http://app.test/auth/callback#type=login&token=${token}`);
      expect(mail.text).toContain('expires in 15 minutes');
      // Never in a query string: no `?` anywhere before the token.
      for (const body of [mail.text, mail.html]) expect(body).not.toMatch(/\?[^#\s"]*token=/);
      // The display name is escaped in HTML.
      expect(mail.html).toContain('Dr. &lt;Script&gt; Allen');
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);

      // Only the hash is stored.
      const stored: { n: string }[] = await t.dataSource.query(
        `SELECT count(*)::text AS n FROM link_tokens
          WHERE user_id = $1 AND type = 'login' AND token_hash = sha256(convert_to($2, 'UTF8'))`,
        [user.id, token],
      );
      expect(stored[0]?.n).toBe('1');

      const first = await t.http().post('/auth/magic-link/consume').send({ token }).expect(200);
      expect(first.body.tokenType).toBe('Bearer');
      await me(first.body.accessToken as string).expect(200);
      const again = await t.http().post('/auth/magic-link/consume').send({ token }).expect(401);
      expect(again.body).toMatchObject({ code: 'unauthenticated' });
    });

    it('an expired login link answers 401', async () => {
      const user = await createUser(t.dataSource);
      await t.http().post('/auth/magic-link').send({ email: user.email }).expect(202);
      const token = linkToken((await smtp.waitFor(user.email)).text, 'login');
      await t.dataSource.query(
        `UPDATE link_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      await t.http().post('/auth/magic-link/consume').send({ token }).expect(401);
    });

    it('answers 202 and sends nothing for unknown, disabled and not-yet-activated accounts', async () => {
      const disabled = await createUser(t.dataSource, { disabled: true });
      const pending = await createUser(t.dataSource, { activated: false, password: null });
      const emails = ['nobody-at-all@example.test', disabled.email, pending.email];
      for (const email of emails) {
        await t.http().post('/auth/magic-link').send({ email }).expect(202);
      }
      await sleep(300);
      expect(smtp.messages.filter((m) => m.to.some((to) => emails.includes(to)))).toEqual([]);
    });

    it('a login token cannot be used as an invitation and vice versa', async () => {
      const user = await createUser(t.dataSource);
      await t.http().post('/auth/magic-link').send({ email: user.email }).expect(202);
      const token = linkToken((await smtp.waitFor(user.email)).text, 'login');
      await t.http().post('/auth/invitations/accept').send({ token }).expect(401);
      await t.http().post('/auth/magic-link/consume').send({ token }).expect(200);
    });

    it('unknown and malformed tokens answer 401', async () => {
      await t
        .http()
        .post('/auth/magic-link/consume')
        .send({ token: 'A'.repeat(43) })
        .expect(401);
      await t.http().post('/auth/magic-link/consume').send({ token: 'nope' }).expect(401);
    });
  });

  describe('invitations', () => {
    it('partner invitation: branded HTML + text with the link and the test-data notice', async () => {
      const partner = await createUser(t.dataSource, {
        tier: 'partner_free',
        password: null,
        activated: false,
        displayName: 'Dr. Rivera',
      });
      await t.app.get(InvitationService).invite(partner.id);
      const mail = await smtp.waitFor(partner.email);
      expect(mail.subject).toBe('Your invitation to the PPN Beta');
      const token = linkToken(mail.text, 'invite');
      const link = `http://app.test/auth/callback#type=invite&token=${token}`;
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link.replace('&', '&amp;')}"`);
      for (const body of [mail.html, mail.text]) {
        expect(body).toMatch(/TEST data/);
        expect(body).toMatch(/never reaches live production data/);
        expect(body).toMatch(/no PHI/);
        expect(body).toMatch(/expires in 72 hours/);
        expect(body).toContain('Dr. Rivera');
      }
      expect(mail.html).toContain('max-width:600px');

      // Too short a password: 400, and the invitation is still usable.
      const short = await t
        .http()
        .post('/auth/invitations/accept')
        .send({ token, password: 'short' })
        .expect(400);
      expect(short.body.code).toBe('validation_failed');

      const accepted = await t
        .http()
        .post('/auth/invitations/accept')
        .send({ token, password: 'a-long-enough-password' })
        .expect(200);
      const res = await me(accepted.body.accessToken as string).expect(200);
      expect(res.body).toMatchObject({ id: partner.id, tier: 'partner_free' });
      const [row] = await t.dataSource.query<{ activated_at: Date | null }[]>(
        `SELECT activated_at FROM users WHERE id = $1`,
        [partner.id],
      );
      expect(row?.activated_at).toBeInstanceOf(Date);
      // The chosen password now works; the invitation does not, a second time.
      await t
        .http()
        .post('/auth/login')
        .send({ email: partner.email, password: 'a-long-enough-password' })
        .expect(200);
      await t.http().post('/auth/invitations/accept').send({ token }).expect(401);
    });

    it('member invitation without a password: activates and logs in; expired → 401', async () => {
      const member = await createUser(t.dataSource, {
        tier: 'user_pro',
        password: null,
        activated: false,
      });
      await t.app.get(InvitationService).invite(member.id);
      const mail = await smtp.waitFor(member.email);
      expect(mail.subject).toBe('You have been invited to PPN');
      const token = linkToken(mail.text, 'invite');
      await t.http().post('/auth/invitations/accept').send({ token }).expect(200);

      const late = await createUser(t.dataSource, { password: null, activated: false });
      await t.app.get(InvitationService).invite(late.id);
      const lateToken = linkToken((await smtp.waitFor(late.email)).text, 'invite');
      await t.dataSource.query(
        `UPDATE link_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1`,
        [late.id],
      );
      await t.http().post('/auth/invitations/accept').send({ token: lateToken }).expect(401);
    });

    it('invite() inside a caller transaction: a refused mail rolls the whole transaction back', async () => {
      const email = `reject-${Date.now()}@example.test`;
      await expect(
        t.dataSource.transaction(async (em) => {
          // What partner provisioning does: create the account, then invite, in one transaction.
          const rows: { id: string }[] = await em.query(
            `WITH u AS (INSERT INTO users (email) VALUES ($1) RETURNING id)
             INSERT INTO user_profiles (user_id) SELECT id FROM u RETURNING user_id AS id`,
            [email],
          );
          await t.app.get(InvitationService).invite(rows[0]?.id ?? '', em);
        }),
      ).rejects.toThrow(/Mailbox unavailable|550/);
      const users: unknown[] = await t.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [
        email,
      ]);
      expect(users).toEqual([]);
      const tokens: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM link_tokens lt JOIN users u ON u.id = lt.user_id WHERE u.email = $1`,
        [email],
      );
      expect(tokens).toEqual([]);
    });
  });

  describe('without SMTP_URL', () => {
    it('writes each message as an .eml file into MAIL_OUTBOX_DIR', async () => {
      const outbox = join('var', 'test-outbox', `auth-email-${process.pid}-${Date.now()}`);
      const other = await startTestApp({ env: { MAIL_OUTBOX_DIR: outbox } });
      try {
        const user = await createUser(other.dataSource);
        await other.http().post('/auth/magic-link').send({ email: user.email }).expect(202);
        let files: string[] = [];
        for (let i = 0; i < 50 && files.length === 0; i += 1) {
          await sleep(50);
          files = await readdir(outbox).catch(() => []);
        }
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(/\.eml$/);
        const mail = parseMail(await readFile(join(outbox, files[0] ?? ''), 'utf8'));
        const token = linkToken(mail.text, 'login');
        await other.http().post('/auth/magic-link/consume').send({ token }).expect(200);
      } finally {
        await other.close();
        await rm(outbox, { recursive: true, force: true });
      }
    });
  });
});
