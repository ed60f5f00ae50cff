import { Metadata, status } from '@grpc/grpc-js';
import { ExecutionContext, Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { GrpcAuthGuard } from './grpc-auth.guard';

const TOKEN = 'a'.repeat(20) + '0123456789abcdef';

function call(path: string, authorization?: string | string[]): ExecutionContext {
  const metadata = new Metadata();
  for (const value of [authorization ?? []].flat()) metadata.add('authorization', value);
  return {
    getType: () => 'rpc',
    getArgByIndex: (i: number) => (i === 2 ? { getPath: () => path } : undefined),
    switchToRpc: () => ({ getContext: () => metadata }),
  } as unknown as ExecutionContext;
}

function refusal(guard: GrpcAuthGuard, context: ExecutionContext): { code: number; message: string } | undefined {
  try {
    guard.canActivate(context);
    return undefined;
  } catch (err) {
    return (err as RpcException).getError() as { code: number; message: string };
  }
}

describe('GrpcAuthGuard', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());
  const guard = new GrpcAuthGuard({ token: TOKEN });
  const methods = [
    '/kasho.v1.ChangeStream/Stream',
    '/kasho.v1.ChangeStream/Ack',
    '/kasho.v1.Snapshot/Prepare',
    '/kasho.v1.Snapshot/CopyRange',
    '/kasho.v1.Unknown/Later',
  ];

  it('lets a call with the exact bearer token through', () => {
    for (const path of methods) expect(guard.canActivate(call(path, `Bearer ${TOKEN}`))).toBe(true);
  });

  it('refuses a missing, wrong or malformed token with UNAUTHENTICATED and never echoes it', () => {
    const wrong = [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `bearer ${TOKEN}`,
      `Basic ${TOKEN}`,
      `Bearer  ${TOKEN}`,
      [`Bearer ${TOKEN}`, 'Bearer other'],
    ];
    for (const path of methods) {
      for (const header of wrong) {
        const refused = refusal(guard, call(path, header));
        expect(refused?.code).toBe(status.UNAUTHENTICATED);
        expect(refused?.message).not.toContain(TOKEN);
      }
    }
  });

  it('answers grpc.health.v1 and HTTP without a token', () => {
    expect(guard.canActivate(call('/grpc.health.v1.Health/Check'))).toBe(true);
    expect(guard.canActivate(call('/grpc.health.v1.Health/Watch'))).toBe(true);
    expect(guard.canActivate({ getType: () => 'http' } as unknown as ExecutionContext)).toBe(true);
  });

  it('refuses a call whose method it cannot tell when a token is set', () => {
    const context = { ...call('x'), getArgByIndex: () => undefined } as unknown as ExecutionContext;
    expect(refusal(guard, context)?.code).toBe(status.UNAUTHENTICATED);
  });

  it('without a token (mTLS verified the client, or GRPC_INSECURE=true) lets calls through', () => {
    expect(new GrpcAuthGuard({}).canActivate(call('/kasho.v1.ChangeStream/Ack'))).toBe(true);
  });
});
