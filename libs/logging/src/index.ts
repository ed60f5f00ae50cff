export { kashoPinoParams } from './pino-params';
export { scrubSecrets } from './scrub-secrets';
export { LOG_LEVELS } from './logging.options';
export type { LogLevel, LoggingOptions } from './logging.options';
