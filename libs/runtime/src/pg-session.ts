import type { ClientConfig } from 'pg';

/**
 * Session settings pinned on every PostgreSQL connection Kasho opens (walsender, COPY, apply,
 * sequence sync, preview), whatever the server, database or role defaults say. Values travel
 * between source and target as PostgreSQL's text forms, which depend on these settings:
 * - `DateStyle = ISO, MDY`: date/timestamp output is ISO 8601, and MDY decides how ambiguous input is read;
 *   `SQL, DMY` on the source would otherwise print `03/04/2024` that a target in `MDY` reads as 4 March.
 * - `IntervalStyle = postgres`: the only style every other style's input accepts unambiguously.
 * - `extra_float_digits = 3`: float4/float8 print the shortest exact form (a lower value rounds).
 * - `TimeZone = UTC`: timestamptz text always carries its offset, so any zone round-trips exactly;
 *   pinning UTC makes the text identical in snapshot and streaming whatever the servers' zones, so a
 *   deterministic transform of a timestamptz column gives the same fake in both.
 * Applied in the startup packet (`options`), so they hold from the first statement, also on a
 * replication connection, where pgoutput's text values are produced.
 */
export const PINNED_SESSION_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  extra_float_digits: '3',
  TimeZone: 'UTC',
});

/**
 * A pg client config with Kasho's pinned session settings (and `extra` ones, e.g. the applier's
 * `synchronous_commit`) in `options`. An `options` parameter in the connection string is kept and
 * comes first, so the pinned settings win over it (pg would otherwise let the URL's replace ours).
 */
export function pgClientConfig(config: ClientConfig, extra: Readonly<Record<string, string>> = {}): ClientConfig {
  const settings = { ...PINNED_SESSION_SETTINGS, ...extra };
  const pinned = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${escapeOption(value)}`)
    .join(' ');
  let { connectionString } = config;
  const own: string[] = config.options ? [config.options] : [];
  if (connectionString) {
    const fromUrl = urlOptions(connectionString);
    if (fromUrl) {
      own.unshift(fromUrl.options);
      connectionString = fromUrl.rest;
    }
  }
  return { ...config, ...(connectionString !== undefined ? { connectionString } : {}), options: [...own, pinned].join(' ') };
}

/** In libpq's `options`, a space inside a value is escaped with a backslash (and so is a backslash). */
function escapeOption(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
}

/** The `options` query parameter of a postgres URL and the URL without it; undefined when absent. */
function urlOptions(connectionString: string): { options: string; rest: string } | undefined {
  if (!/[?&]options=/.test(connectionString)) return undefined;
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return undefined;
  }
  const options = url.searchParams.get('options');
  if (options === null) return undefined;
  url.searchParams.delete('options');
  return { options, rest: url.toString() };
}
