import { OsAccount, parsePasswd, postgresOsAccount } from './postgres-os-user';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  'postgres:x:101:104::/var/lib/postgresql:/bin/bash',
  'toor:x:0:0::/:/bin/sh',
].join('\n');
const from =
  (text: string) =>
  (name: string): OsAccount | undefined =>
    parsePasswd(text, name);

describe('the OS user PostgreSQL runs as', () => {
  it('is this process’s own when it is not root', () => {
    expect(postgresOsAccount({ isRoot: false, wanted: 'nobody', lookup: from(PASSWD) })).toBeUndefined();
  });

  it('as root: postgres when it exists, else nobody (a fresh container)', () => {
    expect(postgresOsAccount({ isRoot: true, wanted: '', lookup: from(PASSWD) })).toEqual({ name: 'postgres', uid: 101, gid: 104 });
    const fresh = PASSWD.split('\n')
      .filter((l) => !l.startsWith('postgres:'))
      .join('\n');
    expect(postgresOsAccount({ isRoot: true, wanted: '', lookup: from(fresh) })).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
    expect(() => postgresOsAccount({ isRoot: true, wanted: '', lookup: from('root:x:0:0::/:/bin/sh') })).toThrow(
      /neither the OS user postgres nor nobody exists.*KASHO_PG_OS_USER/,
    );
  });

  it('as root: the user KASHO_PG_OS_USER names, refused when it does not exist or is root', () => {
    expect(postgresOsAccount({ isRoot: true, wanted: 'nobody', lookup: from(PASSWD) })).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
    expect(() => postgresOsAccount({ isRoot: true, wanted: 'ghost', lookup: from(PASSWD) })).toThrow(
      'KASHO_PG_OS_USER: there is no OS user "ghost" on this machine',
    );
    expect(() => postgresOsAccount({ isRoot: true, wanted: 'toor', lookup: from(PASSWD) })).toThrow(/^KASHO_PG_OS_USER: "toor" has uid 0/);
  });

  it('parses passwd lines exactly by name', () => {
    expect(parsePasswd(PASSWD, 'post')).toBeUndefined();
    expect(parsePasswd('broken:x::5:', 'broken')).toBeUndefined();
  });
});
