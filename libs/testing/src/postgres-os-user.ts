import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** An OS account PostgreSQL can run as. */
export interface OsAccount {
  name: string;
  uid: number;
  gid: number;
}

/** The variable that names the OS user PostgreSQL runs as when we are root (default: postgres, else nobody). */
export const POSTGRES_OS_USER_ENV = 'KASHO_PG_OS_USER';

export interface OsAccountLookup {
  /** Default: process.env[KASHO_PG_OS_USER]. */
  wanted?: string;
  /** Default: whether this process runs as uid 0. */
  isRoot?: boolean;
  /** Default: /etc/passwd, then `getent passwd <name>`. */
  lookup?: (name: string) => OsAccount | undefined;
}

/**
 * Who the throwaway PostgreSQL servers run as: undefined when we are not root (they run as us). As root
 * (PostgreSQL refuses to run as root): the user of `KASHO_PG_OS_USER`, else `postgres` when it exists,
 * else `nobody`, which every Unix has, so a fresh container needs no `useradd`. Throws naming the
 * variable when the user it names does not exist or is root.
 */
export function postgresOsAccount(options: OsAccountLookup = {}): OsAccount | undefined {
  const isRoot = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  if (!isRoot) return undefined;
  const lookup = options.lookup ?? lookupOsAccount;
  const wanted = (options.wanted ?? process.env[POSTGRES_OS_USER_ENV] ?? '').trim();
  if (wanted !== '') {
    const account = lookup(wanted);
    if (!account) throw new Error(`${POSTGRES_OS_USER_ENV}: there is no OS user "${wanted}" on this machine`);
    if (account.uid === 0) {
      throw new Error(`${POSTGRES_OS_USER_ENV}: "${wanted}" has uid 0, and PostgreSQL refuses to run as root: name an unprivileged user such as nobody`);
    }
    return account;
  }
  const found = lookup('postgres') ?? lookup('nobody');
  if (!found || found.uid === 0) {
    throw new Error(
      `running as root, and neither the OS user postgres nor nobody exists: PostgreSQL refuses to run as root; set ${POSTGRES_OS_USER_ENV} to an unprivileged user`,
    );
  }
  return found;
}

/** Parses `name:x:uid:gid:…` lines (the /etc/passwd format) for `name`. */
export function parsePasswd(text: string, name: string): OsAccount | undefined {
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 4 || fields[0] !== name) continue;
    const [uid, gid] = [Number(fields[2]), Number(fields[3])];
    if (Number.isInteger(uid) && Number.isInteger(gid) && fields[2] !== '' && fields[3] !== '') return { name, uid, gid };
  }
  return undefined;
}

/** The account in /etc/passwd, else from `getent` (users of LDAP and the like); undefined when none. */
export function lookupOsAccount(name: string): OsAccount | undefined {
  try {
    const account = parsePasswd(readFileSync('/etc/passwd', 'utf8'), name);
    if (account) return account;
  } catch {
    // no /etc/passwd: ask getent below
  }
  const result = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  return result.status === 0 ? parsePasswd(result.stdout, name) : undefined;
}
