import { describeDuration } from './link-tokens.service';
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from './opaque-tokens';

describe('opaque tokens', () => {
  it('are 32 random bytes in base64url, hashed to 32 bytes', () => {
    const a = newOpaqueToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(newOpaqueToken());
    expect(hashOpaqueToken(a)).toHaveLength(32);
    expect(hashOpaqueToken(a).equals(hashOpaqueToken(a))).toBe(true);
    expect(looksLikeOpaqueToken(a)).toBe(true);
    expect(looksLikeOpaqueToken('short')).toBe(false);
    expect(looksLikeOpaqueToken(`${a}?x=1`)).toBe(false);
  });

  it('describes link lifetimes for email copy', () => {
    expect(describeDuration(259_200)).toBe('72 hours');
    expect(describeDuration(900)).toBe('15 minutes');
    expect(describeDuration(3600)).toBe('1 hour');
    expect(describeDuration(604_800)).toBe('7 days');
  });
});
