import { BUILTIN_TRANSFORMS } from './builtin/builtin-transforms';
import { TransformEngine } from './transform-engine.service';
import { TransformRegistry } from './transform.registry';
import { TransformsConfigLoader } from './transforms-config.loader';
import type { TransformsOptions } from './transforms.options';

/**
 * A TransformEngine with the built-in transforms only, assembled without a Nest application: for
 * the snapshot's transform threads, which would otherwise load @nestjs/core and boot a module each
 * (about 150 ms of CPU per thread). Imported by its own path (`@kasho/transforms/builtin-engine`),
 * not from the library's index, which loads TransformsModule and so @nestjs/core. A transforms.yml
 * that names a custom transform (a Nest provider of the application) fails here, naming the type.
 * Throws what TransformEngine's boot throws (TransformConfigError).
 */
export function createBuiltinTransformEngine(options: TransformsOptions): TransformEngine {
  const instances = BUILTIN_TRANSFORMS.map((type) => new type() as object);
  const registry = new TransformRegistry(() => instances.map((instance) => ({ metatype: instance.constructor, instance })));
  registry.onModuleInit();
  const engine = new TransformEngine(options, new TransformsConfigLoader(registry));
  engine.onModuleInit();
  return engine;
}
