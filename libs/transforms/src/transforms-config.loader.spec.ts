import { bootEngine } from '@kasho/testing/transforms';
import { TransformConfigError } from './transforms-config.errors';
import { TransformsConfigLoader } from './transforms-config.loader';

async function problems(yaml: string): Promise<string[]> {
  try {
    const { module } = await bootEngine(yaml);
    await module.close();
  } catch (e) {
    if (e instanceof TransformConfigError) return e.issues.map((i) => `${i.line ?? '-'} ${i.path ?? ''} ${i.message}`);
    throw e;
  }
  return [];
}

describe('TransformsConfigLoader', () => {
  it('reports every problem at once, with lines and table.column', async () => {
    const yaml = [
      'version: v1', //                                             1
      'tables:', //                                                 2
      '  public.users:', //                                         3
      '    name: FakeNmae', //                                      4
      '    email: {type: Regex, pattern: "(a"}', //                 5
      '    pw: {type: PasswordBcrypt, cleartext: x, cost: 3}', //   6
      '    ssn: {type: FakeSSN, unique: true}', //                  7
      '    slug: {type: Template, template: "{{.name | nope}}"}', //8
      '    n: {type: FakeWords, count: 2.5}', //                    9
      '    b: {type: PasswordBcrypt, cleartext: x, use_salt: "false"}', // 10
    ].join('\n');
    const found = await problems(yaml);
    expect(found).toEqual([
      "4 public.users.name unknown transform type 'FakeNmae' (did you mean 'FakeName'?)",
      "5 public.users.email option 'replacement' is required (replacement with $1 / ${name} groups)",
      "6 public.users.pw option 'cost' must be at least 4, got 3",
      "7 public.users.ssn FakeSSN does not support 'unique: true' (its output has a fixed format)",
      expect.stringMatching(/^8 public\.users\.slug template: unknown function 'nope'/),
      "9 public.users.n option 'count' must be an integer, got 2.5",
      '10 public.users.b option \'use_salt\' must be true or false, got "false"',
    ]);
  });

  it('tells unique not written (undefined: decided by unique indexes) from unique: false and unique: true', async () => {
    const { module } = await bootEngine('version: v1\ntables: {}\n');
    try {
      const config = module
        .get(TransformsConfigLoader)
        .parse(
          [
            'version: v1',
            'tables:',
            '  public.t:',
            '    a: FakeEmail',
            '    b: {type: FakeEmail, unique: false}',
            '    c: {type: FakeEmail, unique: true}',
            '    d: {type: FakeSSN, unique: false}',
          ].join('\n'),
          'transforms.yml',
        );
      expect(config.tables.get('public.t')!.columns.map((r) => [r.column, r.unique])).toEqual([
        ['a', undefined],
        ['b', false],
        ['c', true],
        ['d', false],
      ]);
    } finally {
      await module.close();
    }
  });

  it('rejects a non-boolean unique', async () => {
    expect(await problems('version: v1\ntables:\n  public.t:\n    c: {type: FakeEmail, unique: "no"}\n')).toEqual([
      "4 public.t.c option 'unique' must be true or false",
    ]);
  });

  it('rejects a bad regex, naming the column', async () => {
    const found = await problems('version: v1\ntables:\n  public.t:\n    c: {type: Regex, pattern: "(a", replacement: x}\n');
    expect(found).toEqual([expect.stringMatching(/^4 public\.t\.c invalid pattern \(RE2 syntax/)]);
  });

  it('rejects backreferences and lookaround (RE2 has neither)', async () => {
    expect(await problems('version: v1\ntables:\n  public.t:\n    c: {type: Regex, pattern: "(a)\\\\1", replacement: x}\n')).toHaveLength(1);
    expect(await problems('version: v1\ntables:\n  public.t:\n    c: {type: Regex, pattern: "a(?=b)", replacement: x}\n')).toHaveLength(1);
  });

  it('reports invalid YAML with file and line', async () => {
    try {
      await bootEngine('version: v1\ntables:\n  public.t:\n    c: [unclosed\n');
      fail('should throw');
    } catch (e) {
      expect((e as Error).message).toMatch(/transforms\.yml:\d+: invalid YAML/);
    }
  });

  it('requires version v1 and known top-level keys', async () => {
    expect(await problems('version: v2\ntables: {}\n')).toEqual(["1 version unsupported version 'v2' (supported: v1)"]);
    expect(await problems('tables: {}\n')).toEqual(['- version missing; add `version: v1`']);
    expect(await problems('version: v1\ntabels: {}\n')).toEqual(["2  unknown top-level key 'tabels' (did you mean 'tables'?)"]);
  });

  it('rejects a row transform reading its own column and cycles', async () => {
    const yaml = [
      'version: v1',
      'tables:',
      '  public.t:',
      '    a: {type: Template, template: "{{.a}}"}',
      '    b: {type: Template, template: "{{.c}}"}',
      '    c: {type: Template, template: "{{.b}}"}',
    ].join('\n');
    const found = await problems(yaml);
    expect(found[0]).toMatch(/public\.t\.a Template reads its own column 'a'/);
    expect(found[1]).toMatch(/cycle: b -> c -> b/);
  });

  it('accepts integer options written as integers (the original silently ignored them)', async () => {
    expect(await problems('version: v1\ntables:\n  public.t:\n    p: {type: PasswordBcrypt, cleartext: x, cost: 12}\n')).toEqual([]);
  });

  it('reads mode (default permissive) and rejects any other value with file and line', async () => {
    expect((await bootEngine('version: v1\ntables: {}\n')).engine.mode).toBe('permissive');
    expect((await bootEngine('version: v1\nmode: strict\ntables: {}\n')).engine.mode).toBe('strict');
    expect((await bootEngine('version: v1\nmode: permissive\ntables: {}\n')).engine.mode).toBe('permissive');
    expect(await problems('version: v1\nmode: strcit\ntables: {}\n')).toEqual([`2 mode must be strict or permissive, got "strcit" (did you mean 'strict'?)`]);
    expect(await problems('version: v1\nmode: true\ntables: {}\n')).toEqual(['2 mode must be strict or permissive, got true']);
    try {
      await bootEngine('version: v1\nmode: deny\n');
      fail('should throw');
    } catch (e) {
      expect((e as Error).message).toMatch(/transforms\.yml:2: mode: must be strict or permissive, got "deny"/);
    }
  });

  it('accepts Keep (a listed column replicated as it is) and refuses options on it', async () => {
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.t:\n    id: Keep\n    b: {type: Keep}\n    n: FakeName\n');
    expect(engine.configuredColumns('public', 't')).toEqual(['n']);
    expect(engine.hasRules('public', 't')).toBe(true);
    await module.close();
    const keepOnly = await bootEngine('version: v1\ntables:\n  public.t:\n    id: Keep\n');
    expect(keepOnly.engine.hasRules('public', 't')).toBe(false);
    expect(keepOnly.engine.hasAnyRules()).toBe(false);
    await keepOnly.module.close();
    expect(await problems('version: v1\ntables:\n  public.t:\n    id: {type: Keep, unique: true}\n')).toEqual([
      '4 public.t.id Keep takes no options (got unique): it replicates the column as it is',
    ]);
    expect(await problems('version: v1\ntables:\n  public.t:\n    id: Kepe\n')).toEqual(["4 public.t.id unknown transform type 'Kepe' (did you mean 'Keep'?)"]);
  });

  it('validates Regex on_no_match', async () => {
    expect(await problems('version: v1\ntables:\n  public.t:\n    c: {type: Regex, pattern: a, replacement: b, on_no_match: skip}\n')).toEqual([
      "4 public.t.c option 'on_no_match' must be one of keep, null, fail, got 'skip'",
    ]);
    for (const v of ['keep', 'null', 'fail']) {
      expect(await problems(`version: v1\ntables:\n  public.t:\n    c: {type: Regex, pattern: a, replacement: b, on_no_match: ${v}}\n`)).toEqual([]);
    }
  });

  it('stops the boot with TransformConfigError', async () => {
    await expect(bootEngine('version: v1\ntables:\n  public.t:\n    c: Nope\n')).rejects.toBeInstanceOf(TransformConfigError);
  });
});

describe('shipped configs', () => {
  it.each(['config/transforms.example.yml', 'config/transforms.yml'])('%s is valid', async (file) => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { module } = await bootEngine(readFileSync(join(__dirname, '../../..', file), 'utf8'));
    await module.close();
  });
});
