import type { Client } from 'pg';
import { MIN_POSTGRES_MAJOR, NEWEST_TESTED_POSTGRES_MAJOR, checkServerVersion, judgeServerVersion, parseServerVersion } from './server-version';
import { UnsupportedServerVersionError } from './server-version.errors';

const WHERE = 'PRIMARY_DATABASE_URL (the source)';

describe('parseServerVersion', () => {
  it('reads the major of 10 and newer from server_version_num, and the release from server_version', () => {
    expect(parseServerVersion('170010', '17.10 (Debian 17.10-1.pgdg120+1)')).toEqual({ num: 170010, major: 17, release: '17.10' });
    expect(parseServerVersion(130023, '13.23')).toEqual({ num: 130023, major: 13, release: '13.23' });
    expect(parseServerVersion('120022')).toEqual({ num: 120022, major: 12, release: '12.22' });
    expect(parseServerVersion('180000', '18beta1')).toMatchObject({ major: 18, release: '18beta1' });
  });

  it('reads the two-part majors before 10', () => {
    expect(parseServerVersion('90624', '9.6.24')).toEqual({ num: 90624, major: 9.6, release: '9.6.24' });
    expect(parseServerVersion('90500')).toMatchObject({ major: 9.5, release: '9.5.0' });
  });

  it('refuses what is not a server_version_num', () => {
    expect(() => parseServerVersion('17.1')).toThrow(/not a server_version_num: 17.1/);
    expect(() => parseServerVersion('')).toThrow(/not a server_version_num/);
  });
});

describe('judgeServerVersion', () => {
  it('supports 13 to 17 without a word', () => {
    expect(MIN_POSTGRES_MAJOR).toBe(13);
    expect(NEWEST_TESTED_POSTGRES_MAJOR).toBe(17);
    for (const num of [130000, 140015, 150010, 160006, 170010]) expect(judgeServerVersion(parseServerVersion(num), WHERE)).toEqual({});
  });

  it('refuses a server older than 13, naming the variable, its version and the minimum', () => {
    const verdict = judgeServerVersion(parseServerVersion('120022', '12.22 (Debian)'), WHERE);
    expect(verdict.warning).toBeUndefined();
    expect(verdict.error).toBe(
      'PRIMARY_DATABASE_URL (the source) is PostgreSQL 12.22; Kasho needs PostgreSQL 13 or newer (tested: 13 to 17). ' +
        'Upgrade that server or point the variable at a supported one',
    );
    expect(judgeServerVersion(parseServerVersion('90624', '9.6.24'), 'REPLICA_DATABASE_URL (the target)').error).toMatch(
      /^REPLICA_DATABASE_URL \(the target\) is PostgreSQL 9\.6\.24; Kasho needs PostgreSQL 13 or newer/,
    );
  });

  it('lets a server newer than 17 through with a warning', () => {
    const verdict = judgeServerVersion(parseServerVersion('180001', '18.1'), WHERE);
    expect(verdict.error).toBeUndefined();
    expect(verdict.warning).toBe('PRIMARY_DATABASE_URL (the source) is PostgreSQL 18.1, newer than Kasho is tested with (13 to 17); continuing');
  });
});

describe('checkServerVersion', () => {
  const client = (num: string, text: string) => ({ query: jest.fn().mockResolvedValue({ rows: [{ num, text }] }) }) as unknown as Client;

  it('throws UnsupportedServerVersionError for an old server, carrying its version', async () => {
    const warn = jest.fn();
    const err = await checkServerVersion(client('120022', '12.22'), WHERE, warn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedServerVersionError);
    expect((err as UnsupportedServerVersionError).version.major).toBe(12);
    expect((err as Error).message).toMatch(/PRIMARY_DATABASE_URL \(the source\) is PostgreSQL 12\.22/);
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns for a newer server and returns the version of a supported one', async () => {
    const warn = jest.fn();
    await expect(checkServerVersion(client('180001', '18.1'), WHERE, warn)).resolves.toMatchObject({ major: 18 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/newer than Kasho is tested with/));
    await expect(checkServerVersion(client('150010', '15.10'), WHERE, warn)).resolves.toMatchObject({ major: 15, release: '15.10' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
