/** The Nest gRPC client for kasho.v1.ChangeStream. */
export const CHANGE_STREAM_GRPC_CLIENT = Symbol('CHANGE_STREAM_GRPC_CLIENT');
