import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EnvValidationError } from '@kasho/runtime';
import { loadTranslicatorEnv } from './config/translicator.env';
import { TranslicatorModule } from './translicator.module';

/** pg-translicator: wiring only. */
async function bootstrap(): Promise<void> {
  const env = loadTranslicatorEnv();
  const app = await NestFactory.create(TranslicatorModule);
  app.enableShutdownHooks();
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  new Logger('pg-translicator').log(`health on :${env.HTTP_PORT}/health, change stream at ${env.CHANGE_STREAM_SERVICE}`);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
  } else {
    process.stderr.write(`pg-translicator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
