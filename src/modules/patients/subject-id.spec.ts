import { generateSubjectId } from './subject-id';

describe('generateSubjectId', () => {
  it('makes 10 upper-case alphanumerics, TEST- prefixed for test records', () => {
    for (let i = 0; i < 200; i++) {
      expect(generateSubjectId(false)).toMatch(/^[A-Z0-9]{10}$/);
      expect(generateSubjectId(true)).toMatch(/^TEST-[A-Z0-9]{10}$/);
    }
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => generateSubjectId(false)));
    expect(ids.size).toBe(10_000);
  });
});
