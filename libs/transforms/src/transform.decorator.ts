import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

/** Metadata key under which `@RegisterTransform` stores the transform's type name. */
export const TRANSFORM_NAME_METADATA = 'kasho:transform-name';

/**
 * Marks a provider as the transform `name` (the `type:` used in transforms.yml). The class must
 * implement `Transform` and be listed in the `providers` of an imported module; the registry finds
 * it at boot with `DiscoveryService`. Two providers with the same name fail the boot.
 *
 * Named `RegisterTransform`, not `Transform`: class-transformer already owns `@Transform`.
 */
export function RegisterTransform(name: string): ClassDecorator {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`@RegisterTransform('${name}'): a transform name is a letter followed by letters, digits or _`);
  }
  return applyDecorators(SetMetadata(TRANSFORM_NAME_METADATA, name), Injectable());
}
