export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingOptions {
  /** Service name, the `name` field of every line, e.g. `pg-change-stream`. */
  service: string;
  level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON. Default: when stdout is a TTY and pino-pretty is installed. */
  pretty?: boolean;
}
