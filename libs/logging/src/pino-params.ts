import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { LoggingOptions } from './logging.options';
import { scrubSecrets } from './scrub-secrets';

/** Fields whose value is masked wherever they appear at the top level or one level down. */
const REDACTED_FIELDS = ['url', 'password', 'connectionString', 'PRIMARY_DATABASE_URL', 'REPLICA_DATABASE_URL', 'KV_URL', 'TRANSFORMS_SECRET'];

/**
 * nestjs-pino parameters for a Kasho service: JSON lines (`level` as a word, ISO time, `name`,
 * `context`), the level from LOG_LEVEL, pino-pretty only on a TTY, secrets redacted (by field and
 * inside messages). HTTP requests (health probes, scrapes) are not logged; Nest's `Logger` is
 * routed through pino once the app calls `app.useLogger(app.get(Logger))`.
 */
export function kashoPinoParams(options: LoggingOptions): Params {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && prettyInstalled());
  return {
    pinoHttp: {
      name: options.service,
      level: options.level,
      autoLogging: false,
      quietReqLogger: true,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: {
        paths: [...REDACTED_FIELDS, ...REDACTED_FIELDS.map((f) => `*.${f}`), 'req.headers.authorization', 'req.headers.cookie'],
        censor: '***',
      },
      hooks: {
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          for (let i = 0; i < args.length; i++) {
            const arg = args[i];
            if (typeof arg === 'string') args[i] = scrubSecrets(arg);
            else if (arg instanceof Error) arg.message = scrubSecrets(arg.message);
            else if (arg && typeof arg === 'object') scrubObject(arg as Record<string, unknown>);
          }
          method.apply(this, args);
        },
      },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {}),
    },
  };
}

function scrubObject(obj: Record<string, unknown>): void {
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (typeof value === 'string') obj[key] = scrubSecrets(value);
    else if (value instanceof Error) {
      value.message = scrubSecrets(value.message);
      if (value.stack) value.stack = scrubSecrets(value.stack);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[inner];
        if (typeof v === 'string') (value as Record<string, unknown>)[inner] = scrubSecrets(v);
      }
    }
  }
}

function prettyInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
