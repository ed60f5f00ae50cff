import { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/**
 * Provides an env class (validated by ConfigModule.forRoot({ validate })) as an injectable, typed
 * object: services inject `ChangeStreamEnv` by class instead of reading strings from ConfigService.
 */
export function typedConfigProvider<T extends object>(cls: new () => T): FactoryProvider<T> {
  return {
    provide: cls,
    inject: [ConfigService],
    useFactory: (config: ConfigService) => {
      const instance = new cls();
      for (const key of Object.keys(instance) as (keyof T & string)[]) {
        const value = config.get(key);
        if (value !== undefined) instance[key] = value;
      }
      return instance;
    },
  };
}
