import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { ChangeEnvelope, Position, MAX_STREAMED_CHANGE_BYTES, RowChange } from '@kasho/contracts';
import { assertStreamable } from './streamable-size';

const row = (position: string, value: string): ChangeEnvelope => ({
  position: Position.parse(position),
  change: { kind: 'update', schema: 'public', table: 'blobs', columns: [], replicaIdentity: 'full', new: { v: value }, old: { v: 'small' } } as RowChange,
});

describe('assertStreamable', () => {
  it('passes a big change within the gRPC limit', () => {
    expect(() => assertStreamable([row('1-0', 'x'.repeat(50 * 1024 * 1024))])).not.toThrow();
  });

  it('refuses a change over the limit with RESOURCE_EXHAUSTED naming position and table, never the value', () => {
    const secret = 'S3cr3t';
    const value = secret + 'x'.repeat(MAX_STREAMED_CHANGE_BYTES);
    let error: unknown;
    try {
      assertStreamable([row('1-0', 'ok'), row('7-3', value)]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RpcException);
    const { code, message } = (error as RpcException).getError() as { code: number; message: string };
    expect(code).toBe(status.RESOURCE_EXHAUSTED);
    expect(message).toContain('position 7-3');
    expect(message).toContain('update on public.blobs');
    expect(message).toContain('256 MiB');
    expect(message).not.toContain(secret);
  });
});
