import { join } from 'node:path';
import { Observable } from 'rxjs';

/** The standard gRPC health service (grpc.health.v1.Health), loaded with KASHO_PROTO_LOADER_OPTIONS. */
export const GRPC_HEALTH_PACKAGE = 'grpc.health.v1';
export const GRPC_HEALTH_SERVICE_NAME = 'Health';
export const GRPC_HEALTH_PROTO_PATH = join(__dirname, 'proto', 'health.proto');

/** `enums: String`: statuses travel as their names. */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  status: ServingStatus;
}

/** The client-side view of grpc.health.v1.Health (Nest's ClientGrpc.getService). */
export interface GrpcHealthClient {
  Check(request: HealthCheckRequest): Observable<HealthCheckResponse>;
  Watch(request: HealthCheckRequest): Observable<HealthCheckResponse>;
}
