import { ExecutionContext, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';

const request = (authorization?: string) =>
  ({
    switchToHttp: () => ({
      getRequest: () => ({ method: 'POST', url: '/snapshot/resync?x=1', headers: authorization === undefined ? {} : { authorization } }),
    }),
  }) as unknown as ExecutionContext;

describe('AdminTokenGuard', () => {
  const token = 'a-long-enough-admin-token-0123456789abcdef';

  it('answers 404, as for a route that does not exist, when ADMIN_TOKEN is not set', () => {
    const guard = new AdminTokenGuard({});
    for (const header of [undefined, `Bearer ${token}`]) {
      let error: unknown;
      try {
        guard.canActivate(request(header));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(NotFoundException);
      expect((error as NotFoundException).message).toBe('Cannot POST /snapshot/resync');
    }
  });

  it('wants the exact bearer token when it is set, and never echoes it', () => {
    const guard = new AdminTokenGuard({ adminToken: token });
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
