import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageClientPackage } from './image-pg-client';

describe('imageClientPackage', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kasho-dockerfile-spec-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const dockerfile = (text: string) => {
    const file = join(root, 'Dockerfile');
    writeFileSync(file, text);
    return file;
  };

  it("reads the runtime stage's Debian release and PostgreSQL client package, ignoring comments and other stages", () => {
    const file = dockerfile(
      'FROM node:20-bookworm-slim AS build\nRUN apt-get install -y postgresql-client-15\n' +
        '# postgresql-client-16 was here\nFROM node:20-trixie-slim AS runtime\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends postgresql-client-17 \\\n && rm -rf /var/lib/apt/lists/*\n',
    );
    expect(imageClientPackage(file)).toEqual({ suite: 'trixie', packageName: 'postgresql-client-17', major: 17, pinned: undefined });
    expect(imageClientPackage(join(__dirname, '..', '..', '..', 'Dockerfile'))).toMatchObject({ packageName: 'postgresql-client-17' });
  });

  it('takes a pinned version, and says what is missing', () => {
    expect(imageClientPackage(dockerfile('FROM node:22-trixie AS runtime\nRUN apt-get install -y postgresql-client-17=17.12-0+deb13u1\n'))).toEqual({
      suite: 'trixie',
      packageName: 'postgresql-client-17',
      major: 17,
      pinned: '17.12-0+deb13u1',
    });
    expect(() => imageClientPackage(dockerfile('FROM node:20-trixie-slim AS build\n'))).toThrow(/no stage named runtime/);
    expect(() => imageClientPackage(dockerfile('FROM node:20-trixie-slim AS runtime\nRUN true\n'))).toThrow(/installs no postgresql-client-<major>/);
    expect(() => imageClientPackage(dockerfile('FROM node:20 AS runtime\nRUN apt-get install postgresql-client-17\n'))).toThrow(
      /cannot tell the Debian release/,
    );
  });
});
