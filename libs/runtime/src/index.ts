export { validateEnv, EnvValidationError } from './env-validation';
export { redactUrl } from './redact-url';
export { Backoff, sleep } from './backoff';
export { typedConfigProvider } from './typed-config.provider';
