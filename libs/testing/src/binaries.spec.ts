import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findPostgresBinary, postgresBinDirs, postgresSearchPlaces } from './binaries';

describe('where PostgreSQL binaries are looked for', () => {
  let root: string;
  const dir = (...parts: string[]) => {
    const path = join(root, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const put = (folder: string, name: string) => writeFileSync(join(folder, name), '');

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kasho-binaries-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads KASHO_PG_SEARCH: all three places by default, a subset or another order when given', () => {
    expect(postgresSearchPlaces(undefined)).toEqual(['path', 'system', 'embedded']);
    expect(postgresSearchPlaces('')).toEqual(['path', 'system', 'embedded']);
    expect(postgresSearchPlaces('embedded')).toEqual(['embedded']);
    expect(postgresSearchPlaces(' path , embedded ')).toEqual(['path', 'embedded']);
    expect(postgresSearchPlaces('embedded,path')).toEqual(['embedded', 'path']);
  });

  it('refuses a wrong KASHO_PG_SEARCH, naming the variable and the places it takes', () => {
    expect(() => postgresSearchPlaces('path,usr')).toThrow(
      'KASHO_PG_SEARCH: must be a comma-separated list of path, system, embedded (where PostgreSQL binaries are looked for, in order); unknown "usr"',
    );
    expect(() => postgresSearchPlaces('path,,embedded')).toThrow(/^KASHO_PG_SEARCH: .*unknown ""/);
    expect(() => postgresSearchPlaces('path,path')).toThrow(/^KASHO_PG_SEARCH: .*path given twice/);
  });

  it('searches PATH, then /usr/lib/postgresql/<major>/bin newest first, then the embedded package', () => {
    const [a, b] = [dir('a'), dir('b')];
    const systemRoot = dir('usr-lib-postgresql');
    const [v9, v13, v17] = [dir('usr-lib-postgresql', '9', 'bin'), dir('usr-lib-postgresql', '13', 'bin'), dir('usr-lib-postgresql', '17', 'bin')];
    dir('usr-lib-postgresql', 'not-a-major', 'bin');
    const embedded = dir('embedded', 'bin');
    const search = { path: [a, '', b].join(delimiter), systemRoot, embeddedDir: () => embedded };
    expect(postgresBinDirs(search)).toEqual([a, b, v17, v13, v9, embedded]);
    expect(postgresBinDirs({ ...search, places: ['embedded', 'system'] })).toEqual([embedded, v17, v13, v9]);
    expect(postgresBinDirs({ ...search, places: ['path'] })).toEqual([a, b]);
    expect(postgresBinDirs({ ...search, embeddedDir: () => undefined, systemRoot: join(root, 'none') })).toEqual([a, b]);
  });

  it('finds a binary in the first place that holds it, and only in the places asked for', () => {
    const onPath = dir('path');
    const systemRoot = dir('sys');
    const system = dir('sys', '15', 'bin');
    const embedded = dir('embedded', 'bin');
    put(onPath, 'pg_dump');
    put(system, 'pg_dump');
    put(system, 'initdb');
    put(embedded, 'initdb');
    const search = { path: onPath, systemRoot, embeddedDir: () => embedded };
    expect(findPostgresBinary('initdb', search)).toBe(join(system, 'initdb'));
    expect(findPostgresBinary('pg_dump', search)).toBe(join(onPath, 'pg_dump'));
    // PostgreSQL "hidden": PATH without it and the system folders left out; the embedded package has no pg_dump.
    const hidden = { ...search, path: dir('node-only'), places: ['path', 'embedded'] as const };
    expect(findPostgresBinary('initdb', hidden)).toBe(join(embedded, 'initdb'));
    expect(findPostgresBinary('pg_dump', hidden)).toBeUndefined();
  });
});
