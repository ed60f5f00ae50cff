import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GrpcTlsFiles } from '@kasho/contracts';

/** How to reach pg-change-stream. */
export interface IngestOptions {
  /** pg-change-stream's gRPC address, host:port (CHANGE_STREAM_SERVICE). */
  url: string;
  /** Client certificate, key and CA (GRPC_TLS_*); any of them turns TLS on. */
  tls: GrpcTlsFiles;
  /** pg-change-stream's CHANGE_STREAM_TOKEN, sent as `authorization: Bearer <token>` on every call. */
  token?: string;
}

export const { ConfigurableModuleClass: ConfigurableIngestModule, MODULE_OPTIONS_TOKEN: INGEST_OPTIONS } = new ConfigurableModuleBuilder<IngestOptions>({
  moduleName: 'Ingest',
})
  .setClassMethodName('forRoot')
  .build();
