import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Logger as PinoLogger } from 'nestjs-pino';
import { GRPC_HEALTH_PACKAGE, GRPC_HEALTH_PROTO_PATH, GRPC_MESSAGE_LIMITS, KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PACKAGE, KASHO_PROTO_PATH } from '@kasho/contracts';
import { EnvValidationError, armShutdownDeadline } from '@kasho/runtime';
import { ChangeStreamModule } from './change-stream.module';
import { loadChangeStreamEnv } from './config/change-stream.env';

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
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: [KASHO_PROTO_PACKAGE, GRPC_HEALTH_PACKAGE],
      protoPath: [KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH],
      url: `0.0.0.0:${env.GRPC_PORT}`,
      loader: KASHO_PROTO_LOADER_OPTIONS,
      channelOptions: { ...GRPC_MESSAGE_LIMITS },
    },
  });
  await app.startAllMicroservices();
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  new Logger('pg-change-stream').log(`gRPC on :${env.GRPC_PORT} (kasho.v1.ChangeStream, grpc.health.v1.Health), /health and /metrics on :${env.HTTP_PORT}`);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-change-stream failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
