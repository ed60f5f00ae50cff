/** What the gRPC port's guard and caps need; the root module builds it from ChangeStreamEnv. */
export interface GrpcSecurityOptions {
  /** The bearer token every kasho.v1 call must carry; unset when mTLS verifies clients or GRPC_INSECURE=true. */
  token?: string;
  /** Concurrent CopyRange calls (each holds a source connection): GRPC_MAX_COPY_RANGES. */
  maxCopyRanges: number;
}
