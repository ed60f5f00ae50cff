import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { TRANSFORM_NAME_METADATA } from './transform.decorator';
import type { Transform } from './transform.interface';

export interface RegisteredTransform {
  name: string;
  transform: Transform<unknown>;
  /** Class name, for messages. */
  className: string;
}

/** The provider instances to look through, with their classes: Nest's (DiscoveryService) or a fixed list. */
export type TransformProviders = () => Iterable<{ metatype?: unknown; instance?: unknown }>;
export const TRANSFORM_PROVIDERS = Symbol('TRANSFORM_PROVIDERS');

/**
 * Every provider marked `@RegisterTransform`, found the first time it is asked (in TransformsModule
 * all providers are instantiated by then; they come from `DiscoveryService`). Two providers with one
 * name fail the boot.
 */
@Injectable()
export class TransformRegistry implements OnModuleInit {
  private byName?: Map<string, RegisteredTransform>;

  constructor(@Inject(TRANSFORM_PROVIDERS) private readonly providers: TransformProviders) {}

  /** Discover at boot even when no rule is configured, so a duplicate name always fails the boot. */
  onModuleInit(): void {
    this.all();
  }

  get(name: string): RegisteredTransform | undefined {
    return this.all().get(name);
  }

  names(): string[] {
    return [...this.all().keys()].sort();
  }

  private all(): Map<string, RegisteredTransform> {
    if (this.byName) return this.byName;
    const found = new Map<string, RegisteredTransform>();
    for (const { metatype, instance } of this.providers()) {
      if (!metatype || typeof metatype !== 'function' || !instance) continue;
      const name = Reflect.getMetadata(TRANSFORM_NAME_METADATA, metatype) as string | undefined;
      if (!name) continue;
      const existing = found.get(name);
      if (existing && existing.transform !== instance) {
        throw new Error(
          `Transform '${name}' is registered twice: by ${existing.className} and by ${metatype.name}. ` + `Rename one of them (@RegisterTransform('${name}')).`,
        );
      }
      if (typeof (instance as Transform<unknown>).apply !== 'function') {
        throw new Error(`${metatype.name} is marked @RegisterTransform('${name}') but has no apply() method`);
      }
      found.set(name, { name, transform: instance as Transform<unknown>, className: metatype.name });
    }
    this.byName = found;
    return found;
  }
}
