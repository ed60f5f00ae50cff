import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedDir, downloadCacheDir } from './download-cache';

const execFileAsync = promisify(execFile);
const APT_TIMEOUT_MS = 240_000;

/** What the Docker image's runtime stage installs: its Debian release and the PostgreSQL client package. */
export interface ImageClientPackage {
  /** Debian codename of the runtime stage's base image, e.g. `trixie` (from `node:20-trixie-slim`). */
  suite: string;
  /** e.g. `postgresql-client-17`. */
  packageName: string;
  major: number;
  /** The version the Dockerfile pins (`postgresql-client-17=<version>`), if it does. */
  pinned?: string;
}

/** The image's pg_dump and psql, runnable on this machine. */
export interface ImagePgClient extends ImageClientPackage {
  /** The Debian package version apt chose, e.g. `17.12-0+deb13u1`. */
  version: string;
  pgDump: string;
  psql: string;
}

/** Reads the runtime stage of a Dockerfile: `FROM node:<v>-<suite>-slim AS runtime` and its `postgresql-client-<major>`. */
export function imageClientPackage(dockerfile: string): ImageClientPackage {
  const text = readFileSync(dockerfile, 'utf8');
  const instructions = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
  const stages = instructions.split(/^(?=FROM\s)/m);
  const runtime = stages.find((stage) => /^FROM\s+\S+\s+AS\s+runtime\b/i.test(stage));
  if (!runtime) throw new Error(`${dockerfile}: no stage named runtime`);
  const base = /^FROM\s+(\S+)/i.exec(runtime)![1];
  const suite = /^[^:]+:[^-]+-([a-z]+)(?:-slim)?$/.exec(base)?.[1];
  if (!suite) throw new Error(`${dockerfile}: cannot tell the Debian release of the runtime image ${base} (expected node:<version>-<codename>-slim)`);
  const pkg = /\b(postgresql-client-(\d+))(?:=(\S+))?/.exec(runtime);
  if (!pkg) throw new Error(`${dockerfile}: the runtime stage installs no postgresql-client-<major>`);
  return { suite, packageName: pkg[1], major: Number(pkg[2]), pinned: pkg[3] };
}

/**
 * The exact pg_dump (and psql) the Docker image ships, to run here whatever this machine's Debian
 * release: the same package at the version apt picks for the image's release today (or the one the
 * Dockerfile pins), fetched from deb.debian.org with the image's sources (`<suite>`, `-updates`,
 * `-security`) into a private apt state, extracted with `dpkg-deb -x` together with the libraries it
 * needs (glibc included), and run through that release's own dynamic loader by small wrapper scripts.
 * The extraction is cached per package version. Needs apt-get, dpkg-deb and Debian's archive keyring.
 */
export async function imagePgClient(dockerfile: string): Promise<ImagePgClient> {
  const image = imageClientPackage(dockerfile);
  const arch = debianArch();
  const cache = downloadCacheDir();
  const aptRoot = mkdtempSync(join(cache, `apt-${image.suite}-`));
  try {
    const apt = aptOptions(aptRoot, image.suite, arch);
    await run('apt-get', [...apt, 'update'], `apt-get update for Debian ${image.suite} (deb.debian.org)`);
    const version = image.pinned ?? (await candidateVersion(apt, image.packageName));
    const dir = join(cache, `image-${image.suite}-${image.packageName}_${version.replace(/[^A-Za-z0-9.+~-]/g, '_')}-${arch.deb}`);
    await cachedDir(dir, async (tmp) => {
      const debs = join(aptRoot, 'debs');
      mkdirSync(join(debs, 'partial'), { recursive: true });
      await run(
        'apt-get',
        [...apt, '-o', `Dir::Cache::archives=${debs}`, 'install', '-y', '-qq', '--download-only', '--no-install-recommends', `${image.packageName}=${version}`],
        `downloading ${image.packageName}=${version} and its dependencies`,
      );
      // Perl serves pg_wrapper (postgresql-client-common), not the binaries run here.
      for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb') && !/^(perl|libperl)/.test(f))) {
        await run('dpkg-deb', ['-x', join(debs, deb), tmp], `extracting ${deb}`);
      }
      const bin = join(tmp, 'bin');
      mkdirSync(bin);
      for (const program of ['pg_dump', 'psql']) {
        const target = join('usr', 'lib', 'postgresql', String(image.major), 'bin', program);
        const script =
          '#!/bin/sh\n' +
          `# ${program} of Debian ${image.suite}'s ${image.packageName} ${version}, run with that release's loader and libraries.\n` +
          `exec "${join(dir, arch.loader)}" --library-path "${join(dir, arch.libDir)}" "${join(dir, target)}" "$@"\n`;
        writeFileSync(join(bin, program), script);
        chmodSync(join(bin, program), 0o755);
      }
    });
    return { ...image, version, pgDump: join(dir, 'bin', 'pg_dump'), psql: join(dir, 'bin', 'psql') };
  } finally {
    rmSync(aptRoot, { recursive: true, force: true });
  }
}

/** apt options for a private state under `root` with the sources of Debian's `suite` image. */
function aptOptions(root: string, suite: string, arch: { deb: string }): string[] {
  const sources = join(root, 'sources.list.d');
  mkdirSync(join(root, 'lists', 'partial'), { recursive: true });
  mkdirSync(sources, { recursive: true });
  writeFileSync(join(root, 'status'), '');
  const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
  writeFileSync(
    join(sources, 'debian.sources'),
    `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${suite} ${suite}-updates\nComponents: main\nSigned-By: ${keyring}\n\n` +
      `Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: ${suite}-security\nComponents: main\nSigned-By: ${keyring}\n`,
  );
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const options: Record<string, string> = {
    'Dir::Etc::SourceList': '/dev/null',
    'Dir::Etc::SourceParts': sources,
    'Dir::Etc::Preferences': '/dev/null',
    'Dir::Etc::PreferencesParts': '/dev/null',
    'Dir::State': root,
    'Dir::State::Lists': join(root, 'lists'),
    'Dir::State::status': join(root, 'status'),
    'Dir::Cache': join(root, 'cache'),
    'APT::Architecture': arch.deb,
    'APT::Architectures::': arch.deb,
    'Debug::NoLocking': '1',
    ...(isRoot ? { 'APT::Sandbox::User': 'root' } : {}),
  };
  return Object.entries(options).flatMap(([name, value]) => ['-o', `${name}=${value}`]);
}

async function candidateVersion(apt: string[], packageName: string): Promise<string> {
  const { stdout } = await run('apt-cache', [...apt, 'show', '--no-all-versions', packageName], `apt-cache show ${packageName}`);
  const version = /^Version:\s*(\S+)/m.exec(stdout)?.[1];
  if (!version) throw new Error(`apt-cache show ${packageName}: no Version`);
  return version;
}

/** Debian's name for this machine's architecture, its dynamic loader and library folder (merged /usr). */
function debianArch(): { deb: string; loader: string; libDir: string } {
  if (process.platform === 'linux' && process.arch === 'x64')
    return { deb: 'amd64', loader: 'usr/lib64/ld-linux-x86-64.so.2', libDir: 'usr/lib/x86_64-linux-gnu' };
  if (process.platform === 'linux' && process.arch === 'arm64')
    return { deb: 'arm64', loader: 'usr/lib/ld-linux-aarch64.so.1', libDir: 'usr/lib/aarch64-linux-gnu' };
  throw new Error(`the image's pg_dump runs here only on Linux x64 or arm64, not ${process.platform}-${process.arch}`);
}

async function run(file: string, args: string[], what: string): Promise<{ stdout: string }> {
  try {
    const { stdout } = await execFileAsync(file, args, { timeout: APT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } });
    return { stdout };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr || e.message).trim().split('\n').slice(-4).join(' ');
    throw new Error(`${what} failed: ${detail} (needs apt-get, dpkg-deb, /usr/share/keyrings/debian-archive-keyring.gpg and access to deb.debian.org)`);
  }
}
