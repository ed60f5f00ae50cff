export { TransformsModule } from './transforms.module';
export type { TransformsOptions } from './transforms.options';
export { TransformEngine, withSuffix } from './transform-engine.service';
export { TransformRegistry } from './transform.registry';
export type { RegisteredTransform } from './transform.registry';
export { RegisterTransform, TRANSFORM_NAME_METADATA } from './transform.decorator';
export type {
  Transform,
  TransformContext,
  RowView,
  OptionSpec,
  OptionSpecs,
  ResolvedOptions,
  PrepareContext,
} from './transform.interface';
export { TransformError, TransformOptionError } from './transform.errors';
export { TransformConfigError, formatIssue } from './transforms-config.errors';
export type { ConfigIssue } from './transforms-config.errors';
export { TransformsConfigLoader } from './transforms-config.loader';
export type { TransformsMode } from './transforms-config';
export type { CatalogTable } from './config-coverage';
export { KEEP_TYPE } from './builtin/keep.transform';
export { KeyedRandom, KeyedHasher } from './keyed-random';
export { TransformPreviewService } from './preview/transform-preview.service';
export type { PreviewResult, PreviewRow } from './preview/transform-preview.service';
