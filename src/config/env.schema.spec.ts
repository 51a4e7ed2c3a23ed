import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_SCHEMA, InvalidEnvironmentError, envExampleLines, parseEnv } from './env.schema';

describe('parseEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeNull();
    expect(env.MIGRATIONS_RUN).toBe(true);
    expect(env.FREE_TIER_ACTIVE_PATIENTS).toBe(3);
  });

  it('reports one line per bad variable', () => {
    let error: unknown;
    try {
      parseEnv({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        MIGRATIONS_RUN: 'maybe',
        NODE_ENV: 'prod',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const problems = (error as InvalidEnvironmentError).problems;
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be an integer/),
        expect.stringMatching(/^DATABASE_URL must use postgres: or postgresql:/),
        expect.stringMatching(/^MIGRATIONS_RUN must be true or false/),
        expect.stringMatching(/^NODE_ENV must be one of development, production, test/),
      ]),
    );
    expect((error as Error).message.split('\n')).toHaveLength(5);
  });

  it('requires signing keys in production and paired bootstrap credentials', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /JWT_PRIVATE_KEY is required when NODE_ENV=production/,
    );
    expect(() => parseEnv({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.co' })).toThrow(/must be set together/);
    expect(() =>
      parseEnv({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.co', BOOTSTRAP_ADMIN_PASSWORD: 'short' }),
    ).toThrow(/at least 12/);
  });

  it('.env.example lists every variable with its default', () => {
    const example = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
    for (const name of Object.keys(ENV_SCHEMA))
      expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
    expect(example).toContain(envExampleLines().join('\n\n'));
  });
});
