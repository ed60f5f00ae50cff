import { PINNED_SESSION_SETTINGS, pgClientConfig } from './pg-session';

// pg's own resolution of a client config (what it sends in the startup packet).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ConnectionParameters = require('pg/lib/connection-parameters') as new (config: unknown) => { options?: string; host: string; database: string };

describe('pgClientConfig', () => {
  it('pins DateStyle, IntervalStyle, extra_float_digits and TimeZone in the startup options', () => {
    const config = pgClientConfig({ connectionString: 'postgresql://u@db.example:5433/app', application_name: 'kasho-x' });
    expect(config.options).toBe('-c DateStyle=ISO,\\ MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c TimeZone=UTC');
    expect(config.application_name).toBe('kasho-x');
    const resolved = new ConnectionParameters(config);
    expect(resolved.options).toBe(config.options);
    expect(resolved.host).toBe('db.example');
    expect(resolved.database).toBe('app');
    expect(Object.keys(PINNED_SESSION_SETTINGS).sort()).toEqual(['DateStyle', 'IntervalStyle', 'TimeZone', 'extra_float_digits']);
  });

  it('adds extra settings after the pinned ones', () => {
    const config = pgClientConfig({ connectionString: 'postgresql://u@h/db' }, { synchronous_commit: 'on' });
    expect(config.options).toMatch(/ -c synchronous_commit=on$/);
  });

  it('keeps options from the URL but puts the pinned settings last, so they win', () => {
    const config = pgClientConfig({
      connectionString: 'postgresql://u:p@h:5432/db?sslmode=disable&options=-c%20DateStyle%3DSQL%2CDMY%20-c%20search_path%3Dapp',
    });
    expect(config.connectionString).not.toContain('options');
    expect(config.connectionString).toContain('sslmode=disable');
    const resolved = new ConnectionParameters(config);
    expect(resolved.options).toBe(
      '-c DateStyle=SQL,DMY -c search_path=app -c DateStyle=ISO,\\ MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c TimeZone=UTC',
    );
  });

  it('keeps a config without a connection string as is, apart from options', () => {
    const config = pgClientConfig({ host: '127.0.0.1', port: 5432, user: 'postgres', options: '-c work_mem=64MB' });
    expect(config).toEqual({ host: '127.0.0.1', port: 5432, user: 'postgres', options: expect.stringMatching(/^-c work_mem=64MB -c DateStyle=/) });
  });
});
