import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Logger as PinoLogger } from 'nestjs-pino';
import {
  GRPC_HEALTH_PACKAGE,
  GRPC_HEALTH_PROTO_PATH,
  GRPC_MESSAGE_LIMITS,
  KASHO_PROTO_LOADER_OPTIONS,
  KASHO_PROTO_PACKAGE,
  KASHO_PROTO_PATH,
  grpcServerCredentials,
  isMutualTls,
} from '@kasho/contracts';
import { EnvValidationError, armShutdownDeadline, hostPort } from '@kasho/runtime';
import { ChangeStreamModule } from './change-stream.module';
import { grpcTlsFiles, loadChangeStreamEnv } from './config/change-stream.env';

/** pg-change-stream: wiring only. */
async function bootstrap(): Promise<void> {
  const env = loadChangeStreamEnv();
  const app = await NestFactory.create(ChangeStreamModule, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  // SIGTERM: gRPC streams close first (dispose), then the WAL reader stops, then Redis closes; exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  armShutdownDeadline(env.SHUTDOWN_TIMEOUT_MS, (signal) =>
    new Logger('pg-change-stream').error(`${signal}: shutdown did not finish within SHUTDOWN_TIMEOUT_MS=${env.SHUTDOWN_TIMEOUT_MS}; exiting`),
  );
  const logger = new Logger('pg-change-stream');
  const tls = grpcTlsFiles(env);
  // inheritAppConfig: the global token guard and concurrency caps (GrpcSecurityModule) apply to gRPC.
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.GRPC,
      options: {
        package: [KASHO_PROTO_PACKAGE, GRPC_HEALTH_PACKAGE],
        protoPath: [KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH],
        url: hostPort(env.GRPC_HOST, env.GRPC_PORT),
        loader: KASHO_PROTO_LOADER_OPTIONS,
        credentials: grpcServerCredentials(tls),
        channelOptions: { ...GRPC_MESSAGE_LIMITS },
      },
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  const auth = [env.CHANGE_STREAM_TOKEN ? 'token' : '', isMutualTls(tls) ? 'mTLS' : tls.cert ? 'TLS' : 'plaintext'].filter(Boolean).join(' + ');
  logger.log(
    `gRPC on ${hostPort(env.GRPC_HOST, env.GRPC_PORT)} (kasho.v1.ChangeStream, kasho.v1.Snapshot, grpc.health.v1.Health; ${auth}), ` +
      `/health and /metrics on ${hostPort(env.HTTP_HOST, env.HTTP_PORT)}`,
  );
  if (!env.CHANGE_STREAM_TOKEN && !isMutualTls(tls)) {
    logger.warn(
      'GRPC_INSECURE=true: the gRPC port serves raw rows to anyone who reaches it, without authentication. Set CHANGE_STREAM_TOKEN (openssl rand -hex 32) or mTLS.',
    );
  }
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-change-stream failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
