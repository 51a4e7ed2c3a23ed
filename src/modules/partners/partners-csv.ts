import { isEmail } from 'class-validator';
import { PROVISIONED_PARTNER_TIERS, type ProvisionedPartnerTier } from './partners.dto';

export interface PartnerCsvRow {
  readonly line: number;
  readonly email: string;
  readonly displayName: string;
  readonly tier: ProvisionedPartnerTier;
  readonly tierExpiresAt?: string;
}

export interface PartnerCsvProblem {
  readonly line: number;
  readonly message: string;
}

/** One CSV record: commas separate, double quotes enclose (a `""` inside is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/**
 * `email,displayName,tier,tierExpiresAt` per line (`npm run cli -- invite-partners FILE.csv`).
 * A first line starting with `email` is a header; blank lines and `#` comments are skipped.
 * Every problem names its line number (1-based, as an editor shows it); duplicates within the
 * file are problems too. Same rules as POST /admin/partners.
 */
export function parsePartnerCsv(
  text: string,
  now = new Date(),
): { rows: PartnerCsvRow[]; problems: PartnerCsvProblem[] } {
  const rows: PartnerCsvRow[] = [];
  const problems: PartnerCsvProblem[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    if (index === 0 && /^\s*"?email"?\s*,/i.test(raw)) return;
    const fields = splitCsvLine(raw);
    const problem = (message: string): void => void problems.push({ line, message });
    if (fields.length < 3 || fields.length > 4)
      return problem(
        `expected 3 or 4 fields (email,displayName,tier,tierExpiresAt), got ${fields.length}`,
      );
    const [rawEmail, displayName, tier, expires = ''] = fields;
    const email = rawEmail.toLowerCase();
    if (!isEmail(email)) return problem(`"${rawEmail}" is not an email address`);
    if (displayName.length < 1 || displayName.length > 200)
      return problem('displayName must be 1 to 200 characters');
    if (!(PROVISIONED_PARTNER_TIERS as readonly string[]).includes(tier)) {
      return problem(`tier "${tier}" must be one of ${PROVISIONED_PARTNER_TIERS.join(', ')}`);
    }
    let tierExpiresAt: string | undefined;
    if (expires !== '') {
      const date = new Date(expires);
      if (!/^\d{4}-\d{2}-\d{2}/.test(expires) || Number.isNaN(date.getTime()))
        return problem(`tierExpiresAt "${expires}" is not an ISO 8601 date-time`);
      if (date.getTime() <= now.getTime())
        return problem(`tierExpiresAt ${expires} is not in the future`);
      tierExpiresAt = date.toISOString();
    }
    if (tier === 'beta_observer' && !tierExpiresAt)
      return problem('tierExpiresAt is required for beta_observer');
    const earlier = seen.get(email);
    if (earlier !== undefined) return problem(`${email} already appears on line ${earlier}`);
    seen.set(email, line);
    rows.push({ line, email, displayName, tier: tier as ProvisionedPartnerTier, tierExpiresAt });
  });
  return { rows, problems };
}
