import { ChannelCredentials, Interceptor } from '@grpc/grpc-js';
import { bearerTokenInterceptor, grpcChannelCredentials } from '@kasho/contracts';
import { TranslicatorEnv, grpcTlsFiles } from '../config/translicator.env';

/**
 * How every gRPC client of pg-change-stream (ChangeStream, Snapshot, health) authenticates: TLS
 * credentials from GRPC_TLS_* and the CHANGE_STREAM_TOKEN on each call. One place, so the stream
 * and the snapshot clients cannot differ. `interceptors` rides in channelOptions: Nest passes them
 * to the grpc-js client constructor, which takes it from there.
 */
export function changeStreamChannel(env: TranslicatorEnv): { credentials: ChannelCredentials; interceptors: Interceptor[] } {
  return {
    credentials: grpcChannelCredentials(grpcTlsFiles(env)),
    interceptors: env.CHANGE_STREAM_TOKEN ? [bearerTokenInterceptor(env.CHANGE_STREAM_TOKEN)] : [],
  };
}
