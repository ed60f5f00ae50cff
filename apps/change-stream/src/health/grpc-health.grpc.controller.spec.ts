import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { firstValueFrom, take, toArray } from 'rxjs';
import { GrpcHealthController } from './grpc-health.grpc.controller';
import type { ChangeStreamReadiness } from './readiness.service';

function controller(ready: () => boolean): GrpcHealthController {
  return new GrpcHealthController({ isReady: async () => ready() } as ChangeStreamReadiness);
}

describe('GrpcHealthController (grpc.health.v1.Health)', () => {
  it('Check: SERVING / NOT_SERVING for "" and kasho.v1.ChangeStream, NOT_FOUND for another service', async () => {
    let up = true;
    const health = controller(() => up);
    expect(await health.check({ service: '' })).toEqual({ status: 'SERVING' });
    expect(await health.check({ service: 'kasho.v1.ChangeStream' })).toEqual({ status: 'SERVING' });
    up = false;
    expect(await health.check({ service: '' })).toEqual({ status: 'NOT_SERVING' });
    const error = await health.check({ service: 'kasho.v1.Other' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcException);
    expect((error as RpcException).getError()).toMatchObject({ code: status.NOT_FOUND });
  });

  it('Watch: the status at once, then only its changes; SERVICE_UNKNOWN for an unknown service', async () => {
    const previous = GrpcHealthController.WATCH_INTERVAL_MS;
    GrpcHealthController.WATCH_INTERVAL_MS = 5;
    try {
      const states = [true, true, false, false, true];
      let i = 0;
      const health = controller(() => states[Math.min(i++, states.length - 1)]);
      const seen = await firstValueFrom(health.watch({ service: '' }).pipe(take(3), toArray()));
      expect(seen.map((r) => r.status)).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);
      expect(await firstValueFrom(health.watch({ service: 'x' }))).toEqual({ status: 'SERVICE_UNKNOWN' });
    } finally {
      GrpcHealthController.WATCH_INTERVAL_MS = previous;
    }
  });
});
