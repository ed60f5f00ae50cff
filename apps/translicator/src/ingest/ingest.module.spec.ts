import { Test } from '@nestjs/testing';
import { ClientGrpcProxy } from '@nestjs/microservices';
import { IngestModule } from './ingest.module';
import { CHANGE_STREAM_GRPC_CLIENT, SNAPSHOT_GRPC_CLIENT } from './ingest.tokens';
import { SnapshotGrpcClient } from './snapshot.client';

describe('IngestModule', () => {
  it('builds one gRPC client per service from its options, and closes both at application shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [IngestModule.forRootAsync({ useFactory: () => ({ url: '127.0.0.1:1', tls: {} }) })],
    }).compile();
    const app = await moduleRef.init();
    const stream = app.get<ClientGrpcProxy>(CHANGE_STREAM_GRPC_CLIENT);
    const snapshot = app.get<ClientGrpcProxy>(SNAPSHOT_GRPC_CLIENT);
    expect(stream).toBeInstanceOf(ClientGrpcProxy);
    expect(snapshot).toBeInstanceOf(ClientGrpcProxy);
    expect(snapshot).not.toBe(stream);
    expect(app.get(SnapshotGrpcClient)).toBeInstanceOf(SnapshotGrpcClient);
    const closed = [jest.spyOn(stream, 'close'), jest.spyOn(snapshot, 'close')];
    await app.close();
    for (const close of closed) expect(close).toHaveBeenCalledTimes(1);
  });
});
