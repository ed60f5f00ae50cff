import { ChannelCredentials, Interceptor } from '@grpc/grpc-js';
import { bearerTokenInterceptor, grpcChannelCredentials } from '@kasho/contracts';
import type { IngestOptions } from './ingest.module-definition';

/**
 * How every gRPC client of pg-change-stream (ChangeStream, Snapshot, health) authenticates: TLS
 * credentials from GRPC_TLS_* and the CHANGE_STREAM_TOKEN on each call. One place, so the stream
 * and the snapshot clients cannot differ. `interceptors` rides in channelOptions: Nest passes them
 * to the grpc-js client constructor, which takes it from there.
 */
export function changeStreamChannel(options: IngestOptions): { credentials: ChannelCredentials; interceptors: Interceptor[] } {
  return {
    credentials: grpcChannelCredentials(options.tls),
    interceptors: options.token ? [bearerTokenInterceptor(options.token)] : [],
  };
}
