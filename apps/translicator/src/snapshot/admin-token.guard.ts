import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { TranslicatorEnv } from '../config/translicator.env';

/**
 * Operator endpoints (`/snapshot/resync`) require `Authorization: Bearer <ADMIN_TOKEN>` when
 * ADMIN_TOKEN is set; without it they are open, and the start says so. The comparison is constant
 * time; the token is never logged or echoed.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate, OnModuleInit {
  private readonly expected?: Buffer;

  constructor(env: TranslicatorEnv) {
    if (env.ADMIN_TOKEN) this.expected = digest(env.ADMIN_TOKEN);
  }

  onModuleInit(): void {
    if (!this.expected) {
      new Logger('AdminToken').warn('ADMIN_TOKEN is not set: anyone who reaches HTTP_PORT can request table re-copies (POST /snapshot/resync)');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
    // Digests of equal length, so timingSafeEqual never throws and the length does not leak.
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    throw new UnauthorizedException('this endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
