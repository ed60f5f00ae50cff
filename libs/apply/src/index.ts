export { ApplyModule } from './apply.module';
export { APPLY_OPTIONS } from './apply.module-definition';
export type { ApplyOptions } from './apply.options';
export { DEFAULT_LOCK_KEY, DEFAULT_MAX_ROWS_PER_STATEMENT } from './apply.options';
export { ApplyError } from './apply.errors';
export type { ApplyErrorContext } from './apply.errors';
export { TargetApplier } from './target-applier';
export { TargetHealthIndicator } from './target.health';
