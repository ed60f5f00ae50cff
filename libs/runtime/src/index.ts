export { validateEnv, EnvValidationError } from './env-validation';
export { redactUrl } from './redact-url';
export { Backoff, sleep } from './backoff';
export { armShutdownDeadline } from './shutdown-deadline';
export { EventLoopHealthIndicator } from './event-loop.health';
export { typedConfigProvider } from './typed-config.provider';
