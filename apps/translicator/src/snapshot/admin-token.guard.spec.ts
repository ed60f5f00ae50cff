import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { TranslicatorEnv } from '../config/translicator.env';
import { AdminTokenGuard } from './admin-token.guard';

const request = (authorization?: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }) }) }) as unknown as ExecutionContext;

describe('AdminTokenGuard', () => {
  const token = 'a-long-enough-admin-token';

  it('lets every request through when ADMIN_TOKEN is not set', () => {
    expect(new AdminTokenGuard({} as TranslicatorEnv).canActivate(request())).toBe(true);
  });

  it('wants the exact bearer token when it is set, and never echoes it', () => {
    const guard = new AdminTokenGuard({ ADMIN_TOKEN: token } as TranslicatorEnv);
    expect(guard.canActivate(request(`Bearer ${token}`))).toBe(true);
    for (const header of [undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`]) {
      let error: unknown;
      try {
        guard.canActivate(request(header));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(JSON.stringify((error as UnauthorizedException).getResponse())).not.toContain(token);
    }
  });
});
