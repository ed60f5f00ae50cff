import { InterceptingCall, Interceptor, Metadata } from '@grpc/grpc-js';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The shared-token scheme of kasho.v1 (CHANGE_STREAM_TOKEN): every call but grpc.health.v1 carries
 * the metadata `authorization: Bearer <token>`. The client side (an interceptor) and the server
 * side (a check) live here together so the two cannot drift apart.
 */
export const AUTHORIZATION_METADATA_KEY = 'authorization';
const BEARER = /^Bearer (.+)$/;

/** grpc.health.v1 answers without a token (load balancers and orchestrators probe it). */
export const UNAUTHENTICATED_GRPC_SERVICES: readonly string[] = ['grpc.health.v1.Health'];

/** Adds `authorization: Bearer <token>` to every call of a client (pass it in the client's `interceptors`). */
export function bearerTokenInterceptor(token: string): Interceptor {
  const value = `Bearer ${token}`;
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(AUTHORIZATION_METADATA_KEY, value);
        next(metadata, listener);
      },
    });
}

/**
 * Compares the bearer token of a call with the expected one in constant time: both sides are
 * SHA-256 digests of equal length, so timingSafeEqual never throws and the length does not leak.
 * Holds only the digest; never logs or echoes a token.
 */
export class BearerTokenCheck {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  matches(metadata: Metadata | undefined): boolean {
    const values = metadata?.get(AUTHORIZATION_METADATA_KEY) ?? [];
    if (values.length !== 1 || typeof values[0] !== 'string') return false;
    const match = BEARER.exec(values[0]);
    // Always compare, even without a match, so a malformed header takes the same time.
    const same = timingSafeEqual(digest(match?.[1] ?? ''), this.expected);
    return match !== null && same;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
