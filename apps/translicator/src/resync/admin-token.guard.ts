import { CanActivate, ExecutionContext, Inject, Injectable, Logger, NotFoundException, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RESYNC_OPTIONS, ResyncOptions } from './resync.module-definition';

/**
 * Operator endpoints (`/snapshot/resync`) require `Authorization: Bearer <ADMIN_TOKEN>`. Without
 * ADMIN_TOKEN they are not served: every request gets the same 404 as a route that does not exist,
 * before any work, and the start says so. The comparison is constant time; the token is never
 * logged or echoed.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate, OnModuleInit {
  private readonly expected?: Buffer;

  constructor(@Inject(RESYNC_OPTIONS) options: Pick<ResyncOptions, 'adminToken'>) {
    if (options.adminToken) this.expected = digest(options.adminToken);
  }

  onModuleInit(): void {
    if (!this.expected) new Logger('AdminToken').log('ADMIN_TOKEN is not set: /snapshot/resync is not served (set it to allow `kasho resync`)');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ method: string; url: string; headers: Record<string, string | string[] | undefined> }>();
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.url.split('?')[0]}`);
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
    // Digests of equal length, so timingSafeEqual never throws and the length does not leak.
    const same = timingSafeEqual(digest(match?.[1] ?? ''), this.expected);
    if (match && same) return true;
    throw new UnauthorizedException('this endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
