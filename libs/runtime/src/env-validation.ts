import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { requiredEnvNames } from './env-rules';

/**
 * Validates `env` against an env class; returns every problem at once, one line each, naming the
 * variable. Missing required variables (the fields marked `@EnvRequired()`) read exactly `<NAME> environment variable is required`,
 * as the deployment guide promises. `crossChecks` adds rules between variables (e.g. a certificate
 * needs its key); its problems are listed with the others.
 */
export function validateEnv<T extends object>(cls: new () => T, env: Record<string, string | undefined>, crossChecks?: (validated: T) => string[]): T {
  const problems: string[] = [];
  const required = requiredEnvNames(cls);
  for (const name of required) {
    if (env[name] === undefined || env[name] === '') problems.push(`${name} environment variable is required`);
  }
  const instance = plainToInstance(cls, env, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  for (const error of flatten(errors)) {
    if (required.includes(error.property) && (env[error.property] === undefined || env[error.property] === '')) continue;
    for (const message of Object.values(error.constraints ?? {})) problems.push(`${error.property}: ${message}`);
  }
  problems.push(...(crossChecks?.(instance) ?? []));
  if (problems.length > 0) throw new EnvValidationError(problems);
  return instance;
}

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'EnvValidationError';
  }
}

function flatten(errors: ValidationError[]): ValidationError[] {
  return errors.flatMap((e) => [e, ...flatten(e.children ?? [])]);
}
