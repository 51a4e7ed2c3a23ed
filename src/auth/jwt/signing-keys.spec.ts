import { generateKeyPairSync } from 'node:crypto';
import { parseEnv } from '../../config/env.schema';
import { loadSigningKeys } from './signing-keys';

const pem = (pair: ReturnType<typeof generateKeyPairSync>) => ({
  JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
});

describe('loadSigningKeys', () => {
  it('generates an ephemeral Ed25519 pair in development, with a warning', () => {
    const warn = jest.fn();
    const keys = loadSigningKeys(parseEnv({ NODE_ENV: 'development' }), warn);
    expect(keys).toMatchObject({ algorithm: 'EdDSA', ephemeral: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ephemeral'));
  });

  it('uses the env keys: Ed25519 → EdDSA, EC P-256 → ES256', () => {
    const warn = jest.fn();
    const ed = loadSigningKeys(parseEnv(pem(generateKeyPairSync('ed25519'))), warn);
    expect(ed).toMatchObject({ algorithm: 'EdDSA', ephemeral: false });
    const ec = loadSigningKeys(
      parseEnv(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }))),
      warn,
    );
    expect(ec.algorithm).toBe('ES256');
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a public key that does not match the private key', () => {
    const a = pem(generateKeyPairSync('ed25519'));
    const b = pem(generateKeyPairSync('ed25519'));
    const env = parseEnv({ JWT_PRIVATE_KEY: a.JWT_PRIVATE_KEY, JWT_PUBLIC_KEY: b.JWT_PUBLIC_KEY });
    expect(() => loadSigningKeys(env, jest.fn())).toThrow('does not match');
  });

  it('production without keys is refused by the env schema itself', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY is required/);
  });
});
