import { status } from '@grpc/grpc-js';
import { CallHandler, ExecutionContext } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Observable, Subject, firstValueFrom, lastValueFrom, of } from 'rxjs';
import { DEFAULT_CONCURRENCY_CAP, GrpcConcurrencyInterceptor, concurrencyCaps } from './grpc-concurrency.interceptor';

const rpc = (path: string) =>
  ({ getType: () => 'rpc', getArgByIndex: (i: number) => (i === 2 ? { getPath: () => path } : undefined) }) as unknown as ExecutionContext;
const http = { getType: () => 'http' } as unknown as ExecutionContext;
const handler = (source: Observable<unknown>): CallHandler => ({ handle: () => source });

async function refusal(result: Observable<unknown>): Promise<{ code?: number; message?: string } | undefined> {
  try {
    await lastValueFrom(result, { defaultValue: undefined });
    return undefined;
  } catch (err) {
    return (err as RpcException).getError() as { code: number; message: string };
  }
}

describe('GrpcConcurrencyInterceptor', () => {
  const options = { maxCopyRanges: 3 };
  const COPY = '/kasho.v1.Snapshot/CopyRange';

  it('bounds every kasho.v1 method, CopyRange by GRPC_MAX_COPY_RANGES', () => {
    const caps = concurrencyCaps(options);
    for (const method of ['ChangeStream/Stream', 'ChangeStream/Ack', 'Snapshot/Prepare', 'Snapshot/CopyRange', 'Snapshot/Finish', 'Snapshot/Sequences']) {
      expect(caps[`/kasho.v1.${method}`]).toBeGreaterThan(0);
    }
    expect(caps[COPY]).toBe(3);
  });

  it('refuses the call beyond the cap with RESOURCE_EXHAUSTED, while the streams in flight are open', async () => {
    const interceptor = new GrpcConcurrencyInterceptor(options);
    const streams = [new Subject<number>(), new Subject<number>(), new Subject<number>()];
    const subscriptions = streams.map((s) => interceptor.intercept(rpc(COPY), handler(s)).subscribe({ error: () => undefined }));
    expect(interceptor.active(COPY)).toBe(3);

    let ran = false;
    const refused = await refusal(interceptor.intercept(rpc(COPY), { handle: () => ((ran = true), of(1)) }));
    expect(refused?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused?.message).toContain('at most 3');
    expect(ran).toBe(false);

    // One completes, one errs, one is cancelled (unsubscribed): every place comes back once.
    streams[0].complete();
    streams[1].error(new Error('boom'));
    subscriptions[2].unsubscribe();
    subscriptions.forEach((s) => s.unsubscribe());
    expect(interceptor.active(COPY)).toBe(0);
    expect(await firstValueFrom(interceptor.intercept(rpc(COPY), handler(of('ok'))))).toBe('ok');
    expect(interceptor.active(COPY)).toBe(0);
  });

  it('counts each method on its own, and an unlisted one against the default cap', async () => {
    const interceptor = new GrpcConcurrencyInterceptor(options);
    const held = new Subject<number>();
    for (let i = 0; i < DEFAULT_CONCURRENCY_CAP; i++) interceptor.intercept(rpc('/kasho.v1.New/Method'), handler(held)).subscribe();
    expect((await refusal(interceptor.intercept(rpc('/kasho.v1.New/Method'), handler(of(1)))))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await refusal(interceptor.intercept(rpc('/kasho.v1.ChangeStream/Ack'), handler(of(1))))).toBeUndefined();
    held.complete();
    expect(interceptor.active('/kasho.v1.New/Method')).toBe(0);
  });

  it('leaves HTTP requests alone', async () => {
    const interceptor = new GrpcConcurrencyInterceptor(options);
    const held = new Subject<number>();
    for (let i = 0; i < 100; i++) interceptor.intercept(http, handler(held)).subscribe();
    expect(await refusal(interceptor.intercept(http, handler(of(1))))).toBeUndefined();
  });
});
