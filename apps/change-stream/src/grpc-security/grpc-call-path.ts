import { ExecutionContext } from '@nestjs/common';

/**
 * The full method path of a gRPC call (`/kasho.v1.Snapshot/CopyRange`), from grpc-js's call object
 * (Nest hands it to handlers as the third argument); undefined when the context is not gRPC.
 */
export function grpcCallPath(context: ExecutionContext): string | undefined {
  if (context.getType() !== 'rpc') return undefined;
  const call = context.getArgByIndex<{ getPath?: () => string } | undefined>(2);
  return typeof call?.getPath === 'function' ? call.getPath() : undefined;
}

/** `grpc.health.v1.Health` of `/grpc.health.v1.Health/Check`. */
export function grpcServiceOf(path: string): string {
  return path.split('/')[1] ?? '';
}
