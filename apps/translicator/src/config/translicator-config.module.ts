import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { typedConfigProvider } from '@kasho/runtime';
import { TranslicatorEnv, loadTranslicatorEnv } from './translicator.env';

/** Validates the environment at boot (every problem at once) and provides it typed as `TranslicatorEnv`. */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: (env) => loadTranslicatorEnv(env) })],
  providers: [typedConfigProvider(TranslicatorEnv)],
  exports: [TranslicatorEnv],
})
export class TranslicatorConfigModule {}
