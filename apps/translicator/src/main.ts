import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { EnvValidationError, armShutdownDeadline } from '@kasho/runtime';
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
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  new Logger('pg-translicator').log(`/health and /metrics on :${env.HTTP_PORT}, change stream at ${env.CHANGE_STREAM_SERVICE}`);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-translicator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
