import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { typedConfigProvider } from '@kasho/runtime';
import { ChangeStreamEnv, loadChangeStreamEnv } from './change-stream.env';

/** Validates the environment at boot (every problem at once) and provides it typed as `ChangeStreamEnv`. */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: (env) => loadChangeStreamEnv(env) })],
  providers: [typedConfigProvider(ChangeStreamEnv)],
  exports: [ChangeStreamEnv],
})
export class ChangeStreamConfigModule {}
