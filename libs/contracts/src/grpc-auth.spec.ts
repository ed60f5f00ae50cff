import { Metadata } from '@grpc/grpc-js';
import { BearerTokenCheck } from './grpc-auth';

describe('BearerTokenCheck', () => {
  const token = '0123456789abcdef0123456789abcdef';
  const with_ = (...values: string[]) => {
    const m = new Metadata();
    values.forEach((v) => m.add('authorization', v));
    return m;
  };

  it('matches exactly `Bearer <token>`, once', () => {
    const check = new BearerTokenCheck(token);
    expect(check.matches(with_(`Bearer ${token}`))).toBe(true);
    for (const m of [undefined, new Metadata(), with_(token), with_(`Bearer ${token} `), with_(`Bearer ${token}`, `Bearer ${token}`), with_('Bearer ')]) {
      expect(check.matches(m)).toBe(false);
    }
  });
});
