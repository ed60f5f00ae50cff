import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PACKAGE, KASHO_PROTO_PATH } from '@kasho/contracts';
import { EnvValidationError } from '@kasho/runtime';
import { ChangeStreamModule } from './change-stream.module';
import { loadChangeStreamEnv } from './config/change-stream.env';

/** pg-change-stream: wiring only. */
async function bootstrap(): Promise<void> {
  const env = loadChangeStreamEnv();
  const app = await NestFactory.create(ChangeStreamModule, { bufferLogs: false });
  app.enableShutdownHooks();
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: KASHO_PROTO_PACKAGE,
      protoPath: KASHO_PROTO_PATH,
      url: `0.0.0.0:${env.GRPC_PORT}`,
      loader: KASHO_PROTO_LOADER_OPTIONS,
    },
  });
  await app.startAllMicroservices();
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  new Logger('pg-change-stream').log(`gRPC on :${env.GRPC_PORT}, health on :${env.HTTP_PORT}/health`);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-change-stream failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
