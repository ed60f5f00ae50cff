import { Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { BUILTIN_TRANSFORMS } from './builtin/builtin-transforms';
import { TransformPreviewService } from './preview/transform-preview.service';
import { TransformEngine } from './transform-engine.service';
import { TRANSFORM_PROVIDERS, TransformRegistry } from './transform.registry';
import { TransformsConfigLoader } from './transforms-config.loader';
import { TransformsConfigurableModule } from './transforms.module-definition';

/**
 * `TransformsModule.forRootAsync({ useFactory: (cfg) => ({ file, secret }), inject })`. Registers
 * every built-in transform; user transforms are providers marked `@RegisterTransform` in any
 * imported module, discovered at boot.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: TRANSFORM_PROVIDERS, useFactory: (discovery: DiscoveryService) => () => discovery.getProviders(), inject: [DiscoveryService] },
    TransformRegistry,
    TransformsConfigLoader,
    TransformEngine,
    TransformPreviewService,
    ...BUILTIN_TRANSFORMS,
  ],
  exports: [TransformEngine, TransformRegistry, TransformPreviewService],
})
export class TransformsModule extends TransformsConfigurableModule {}
