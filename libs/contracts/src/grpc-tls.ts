import { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';

/** PEM file paths of GRPC_TLS_CERT, GRPC_TLS_KEY and GRPC_TLS_CA, as validated by an env class. */
export interface GrpcTlsFiles {
  cert?: string;
  key?: string;
  ca?: string;
}

/**
 * The gRPC server's credentials: plaintext without a certificate; TLS with GRPC_TLS_CERT and
 * GRPC_TLS_KEY; with GRPC_TLS_CA as well, clients must present a certificate signed by that CA (mTLS).
 */
export function grpcServerCredentials(files: GrpcTlsFiles): ServerCredentials {
  if (!files.cert || !files.key) return ServerCredentials.createInsecure();
  const ca = files.ca ? readFileSync(files.ca) : null;
  return ServerCredentials.createSsl(ca, [{ cert_chain: readFileSync(files.cert), private_key: readFileSync(files.key) }], ca !== null);
}

/**
 * A gRPC client's channel credentials: plaintext when no TLS file is given; otherwise TLS, verifying
 * the server against GRPC_TLS_CA (the system roots without it) and presenting GRPC_TLS_CERT/KEY when given.
 */
export function grpcChannelCredentials(files: GrpcTlsFiles): ChannelCredentials {
  if (!files.cert && !files.key && !files.ca) return ChannelCredentials.createInsecure();
  return ChannelCredentials.createSsl(
    files.ca ? readFileSync(files.ca) : null,
    files.key ? readFileSync(files.key) : null,
    files.cert ? readFileSync(files.cert) : null,
  );
}

/** Whether these files make the server require and verify client certificates. */
export function isMutualTls(files: GrpcTlsFiles): boolean {
  return !!(files.cert && files.key && files.ca);
}
