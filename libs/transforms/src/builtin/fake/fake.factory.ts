import type { Type } from '@nestjs/common';
import type { KeyedRandom } from '../../keyed-random';
import { RegisterTransform } from '../../transform.decorator';
import type { OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../../transform.interface';

export interface FakeSpec {
  /** What the output looks like, for docs and messages. */
  format: string;
  options?: OptionSpecs;
  /** Free-form text outputs accept `unique: true`; fixed formats (SSN, ZIP, dates...) do not. */
  supportsUnique?: boolean;
  /** Boot-time checks across options; throw TransformOptionError. */
  validate?(options: ResolvedOptions): void;
  generate(r: KeyedRandom, options: ResolvedOptions, ctx: TransformContext): string;
}

/** Metadata of every built-in fake, for docs and tests. */
export const FAKE_SPECS = new Map<string, FakeSpec>();

/**
 * Declares a Fake* transform: a provider class named `<Name>Transform`, registered under `name`,
 * whose output is drawn from the keyed randomness of the input value (the input's content is not
 * otherwise used, so nothing of it leaks into the fake).
 */
export function defineFake(name: string, spec: FakeSpec): Type<Transform> {
  const cls = class implements Transform {
    readonly options = spec.options;
    readonly supportsUnique = spec.supportsUnique ?? false;
    prepare(options: ResolvedOptions): ResolvedOptions {
      spec.validate?.(options);
      return options;
    }
    apply(_value: string, ctx: TransformContext): string {
      return spec.generate(ctx.random, ctx.options, ctx);
    }
  };
  Object.defineProperty(cls, 'name', { value: `${name}Transform` });
  RegisterTransform(name)(cls);
  FAKE_SPECS.set(name, spec);
  return cls;
}
