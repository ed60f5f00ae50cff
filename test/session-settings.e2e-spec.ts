import { Client } from 'pg';
import { EphemeralPostgres } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';

/**
 * Kasho pins DateStyle, IntervalStyle, extra_float_digits and TimeZone on every connection it opens
 * (walsender, snapshot COPY on both sides, apply), so servers with other defaults still replicate
 * values exactly. Both servers here print dates as SQL/DMY with zone abbreviations, intervals in the
 * SQL standard form and floats rounded to 15 digits; the source's zone (Asia/Kolkata, printed as
 * "IST") is an abbreviation PostgreSQL reads as Israel time by default.
 */
const SERVER = { DateStyle: 'SQL,DMY', IntervalStyle: 'sql_standard', extra_float_digits: 0 };

/** The test's own session: a fixed text form for comparing. */
const FIXED = '-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c TimeZone=UTC';

const COLUMNS = 'id, d, ts, tstz, tz, iv, f4, f8, r';
const ROWS = (from: number) => `
  INSERT INTO public.moments (id, d, ts, tstz, tz, iv, f4, f8, r) VALUES
    (${from}, '2024-03-04', '2024-03-04 05:06:07.123456', '2024-03-04 05:06:07.123456+00', '05:06:07.5+05:30',
     '1 year 2 mons -3 days 04:05:06.789', 0.1, 0.30000000000000004, '[2024-03-04 10:00:00+00,2024-03-05 10:00:00+00)'),
    (${from + 1}, '1999-12-31', '1999-12-31 23:59:59.999999', '1850-01-01 00:00:00+00', '00:00:00-08', '-1 days +02:03:04.5',
     3.4028235e38, 2.2250738585072014e-308, 'empty'),
    (${from + 2}, '0044-03-15 BC', 'infinity', '-infinity', '23:59:59.999999+14', '178000000 years', 1.17549435e-38, 1.7976931348623157e308,
     '[2000-01-01 00:00:00.000001+00,)')`;

describe('session settings pinned on every connection', () => {
  let k: KashoPipeline;

  const rows = async (pg: EphemeralPostgres) => {
    const client = new Client({ ...pg.clientConfig(), options: FIXED });
    await client.connect();
    try {
      return (await client.query<{ row: string }>(`SELECT (t)::text AS row FROM (SELECT ${COLUMNS} FROM public.moments ORDER BY id) t`)).rows.map((r) => r.row);
    } finally {
      await client.end();
    }
  };

  const sourceSql = async (sql: string) => {
    const client = new Client({ ...k.source.clientConfig(), options: FIXED });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    k = await KashoPipeline.start({
      sourceSettings: { ...SERVER, TimeZone: 'Asia/Kolkata' },
      targetSettings: { ...SERVER, TimeZone: 'America/New_York' },
      // COPY text: the snapshot's values travel in their text form, which the settings govern.
      translicatorEnv: { SNAPSHOT_COPY_FORMAT: 'text' },
      beforeStart: async (source) => {
        const client = new Client({ ...source.clientConfig(), options: FIXED });
        await client.connect();
        try {
          await client.query(`CREATE TABLE public.moments (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, tz timetz,
            iv interval, f4 real, f8 double precision, r tstzrange)`);
          await client.query(ROWS(1));
        } finally {
          await client.end();
        }
      },
      waitForTranslicator: false,
    });
    await k.translicator.waitHealthy(90_000);
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it('the servers really print other forms (the test would catch a connection left unpinned)', async () => {
    const [row] = await k.source.query<{ d: string; f8: string; iv: string; tstz: string }>(
      `SELECT d::text AS d, f8::text AS f8, iv::text AS iv, tstz::text AS tstz FROM public.moments WHERE id = 1`,
    );
    expect(row).toEqual({ d: '04/03/2024', f8: '0.3', iv: '+1-2 -3 +4:05:06.789', tstz: '04/03/2024 10:36:07.123456 IST' });
  });

  it('copies the snapshot exactly', async () => {
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.moments`, 60_000);
    const source = await rows(k.source);
    expect(source).toHaveLength(3);
    expect(source[0]).toContain('0.30000000000000004');
    expect(await rows(k.target)).toEqual(source);
  }, 90_000);

  it('streams inserts and updates exactly', async () => {
    await sourceSql(ROWS(10));
    await sourceSql(`UPDATE public.moments SET f8 = f8 / 3, f4 = f4 / 3, iv = iv * 1.5, tstz = tstz + interval '1 microsecond', d = d + 1 WHERE id IN (1, 11)`);
    await k.waitForEqual(
      `SELECT count(*)::int AS n, sum(extract(epoch FROM tstz)) FILTER (WHERE id IN (1, 11)) AS t FROM public.moments WHERE tstz > '-infinity'`,
      60_000,
    );
    const source = await rows(k.source);
    expect(source).toHaveLength(6);
    expect(await rows(k.target)).toEqual(source);
  }, 90_000);
});
