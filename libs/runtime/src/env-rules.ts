import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, ValidationOptions, registerDecorator } from 'class-validator';
import { accessSync, constants, statSync } from 'node:fs';
import { isIP } from 'node:net';

/**
 * Decorators shared by the env classes under apps/<app>/src/config. Messages name what is wrong,
 * never the value (an env value may be a secret).
 */

/**
 * `true` / `false` only (also `1` / `0`); unset or empty is `fallback`; anything else is reported.
 * Implicit conversion would turn `'false'` into `true`.
 */
export function EnvBoolean(fallback = false): PropertyDecorator {
  const parse = Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return value;
  });
  const check = rule('isEnvBoolean', (value) => typeof value === 'boolean', 'must be true or false');
  return (target, key) => {
    parse(target, key);
    check(target, key);
  };
}

/** A whole number written in digits becomes a number; anything else stays as it is, for `@IsInt` to report. */
export const EnvInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));

const requiredByClass = new WeakMap<object, string[]>();

/**
 * The variable must be set and not empty. The env class is the one list of required names:
 * `validateEnv` reports each missing one as `<NAME> environment variable is required`, in field order.
 */
export function EnvRequired(): PropertyDecorator {
  return (target, key) => {
    const names = requiredByClass.get(target.constructor) ?? [];
    requiredByClass.set(target.constructor, [...names, String(key)]);
  };
}

/** The names marked `@EnvRequired()` on `cls`, in field order. */
export function requiredEnvNames(cls: new () => object): string[] {
  return requiredByClass.get(cls) ?? [];
}

/** An empty string counts as unset (compose passes `${VAR:-}` as ""). Put it first. */
export const EmptyAsUnset = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** A TCP port number (1–65535), written in digits. */
export const EnvPort = (): PropertyDecorator => stacked(EnvInt(), IsInt({ message: 'must be a port number' }), Min(1), Max(65535));

/** An optional path to a readable file; empty counts as unset. */
export const OptionalFile = (): PropertyDecorator => stacked(EmptyAsUnset(), IsOptional(), IsReadableFile());

/** An optional path to a program this process may run (e.g. PG_DUMP); empty counts as unset. */
export const OptionalExecutable = (): PropertyDecorator => stacked(EmptyAsUnset(), IsOptional(), IsExecutableFile());

/** An optional secret of at least 32 characters; empty counts as unset. `tooShort` says how to make a good one. */
export const OptionalSecret = (tooShort = 'must be at least 32 characters (make one with `openssl rand -hex 32`)'): PropertyDecorator =>
  stacked(EmptyAsUnset(), IsOptional(), IsString(), MinLength(32, { message: tooShort }));

/** Decorators applied as if written one above the other in this order (the lowest one runs first). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => [...decorators].reverse().forEach((decorate) => decorate(target, key));
}

/** A path to a regular file this process can read (checked at boot, so a typo never waits for the first connection). */
export function IsReadableFile(options?: ValidationOptions): PropertyDecorator {
  return rule('isReadableFile', (value) => typeof value === 'string' && readableFile(value), 'must be the path of a readable file', options);
}

/** A path to a regular file this process can execute (checked at boot). */
export function IsExecutableFile(options?: ValidationOptions): PropertyDecorator {
  return rule('isExecutableFile', (value) => typeof value === 'string' && executableFile(value), 'must be the path of an executable file', options);
}

/** A host name or an IPv4/IPv6 address to bind to (no port, no brackets), e.g. 0.0.0.0, ::, 127.0.0.1, localhost. */
export function IsBindHost(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isBindHost',
    (value) => typeof value === 'string' && isBindHost(value),
    'must be a host name or an IP address (e.g. 0.0.0.0, ::, 127.0.0.1)',
    options,
  );
}

export function isBindHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  return value.length <= 253 && /^(?=.*[A-Za-z])[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value);
}

/** `host:port` for a listener; IPv6 addresses get brackets. */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function readableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function executableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function rule(name: string, valid: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: key as string,
      options: { message, ...options },
      validator: { validate: (value: unknown) => valid(value) },
    });
}
