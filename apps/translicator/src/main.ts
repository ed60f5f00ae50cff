import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { EnvValidationError, armShutdownDeadline, hostPort } from '@kasho/runtime';
import { loadTranslicatorEnv } from './config/translicator.env';
import { TranslicatorModule } from './translicator.module';

/** pg-translicator: wiring only. */
async function bootstrap(): Promise<void> {
  const env = loadTranslicatorEnv();
  const app = await NestFactory.create(TranslicatorModule, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  // SIGTERM: no new batches, the transaction in flight commits and is acknowledged (or rolls back), connections close; exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  armShutdownDeadline(env.SHUTDOWN_TIMEOUT_MS, (signal) =>
    new Logger('pg-translicator').error(`${signal}: shutdown did not finish within SHUTDOWN_TIMEOUT_MS=${env.SHUTDOWN_TIMEOUT_MS}; exiting`),
  );
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  const logger = new Logger('pg-translicator');
  const tls = env.GRPC_TLS_CERT ? 'mTLS' : env.GRPC_TLS_CA ? 'TLS' : 'plaintext';
  logger.log(
    `/health and /metrics on ${hostPort(env.HTTP_HOST, env.HTTP_PORT)}, change stream at ${env.CHANGE_STREAM_SERVICE} (${env.CHANGE_STREAM_TOKEN ? 'token + ' : ''}${tls})`,
  );
  if (!env.CHANGE_STREAM_TOKEN && !env.GRPC_TLS_CERT) {
    logger.warn('Neither CHANGE_STREAM_TOKEN nor a client certificate is set: only a pg-change-stream started with GRPC_INSECURE=true will answer');
  }
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-translicator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
