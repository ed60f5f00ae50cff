import { Module } from '@nestjs/common';
import { ConfigurableCopyTransformModule } from './copy-transform.module-definition';
import { CopyTransformers } from './copy-transformers';

/**
 * COPY rows through transforms.yml's rules, on worker threads or this thread:
 * `CopyTransformModule.forRootAsync({ imports: [config, transforms], inject, useFactory: (cfg) => options })`.
 * Its imports must provide the TransformEngine (TransformsModule, the one instance the app imports).
 * Provides {@link CopyTransformers}; the threads are closed on module destroy.
 */
@Module({
  providers: [CopyTransformers],
  exports: [CopyTransformers],
})
export class CopyTransformModule extends ConfigurableCopyTransformModule {}
