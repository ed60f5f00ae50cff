/** The Nest gRPC client for kasho.v1.ChangeStream. */
export const CHANGE_STREAM_GRPC_CLIENT = Symbol('CHANGE_STREAM_GRPC_CLIENT');

/** The Nest gRPC client for kasho.v1.Snapshot (its own channel: bulk copies do not share the change stream's). */
export const SNAPSHOT_GRPC_CLIENT = Symbol('SNAPSHOT_GRPC_CLIENT');
