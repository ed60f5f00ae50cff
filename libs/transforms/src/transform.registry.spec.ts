import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootEngine, col } from '@kasho/testing/transforms';
import { InitialsTransform, MyTransformsModule } from '../test/examples/initials.transform';
import { RegisterTransform } from './transform.decorator';
import type { Transform } from './transform.interface';
import { TransformRegistry } from './transform.registry';

@RegisterTransform('FakeName')
class MyFakeName implements Transform {
  apply(): string {
    return 'x';
  }
}

@RegisterTransform('Twice')
class TwiceA implements Transform {
  apply(): string {
    return 'a';
  }
}
@RegisterTransform('Twice')
class TwiceB implements Transform {
  apply(): string {
    return 'b';
  }
}

describe('TransformRegistry', () => {
  it('registers every built-in type of the catalogue', async () => {
    const { module } = await bootEngine('version: v1\ntables: {}\n');
    const names = module.get(TransformRegistry).names();
    for (const name of [
      'FakeName',
      'Bool',
      'Regex',
      'Template',
      'PasswordBcrypt',
      'PasswordScrypt',
      'PasswordPBKDF2',
      'PasswordArgon2id',
      'SetNull',
      'Constant',
      'Hash',
      'Mask',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith('Fake'))).toHaveLength(41);
    await module.close();
  });

  it('fails the boot on a duplicate name, naming both classes', async () => {
    await expect(bootEngine('version: v1\ntables: {}\n', { extra: { providers: [TwiceA, TwiceB] } })).rejects.toThrow(
      /'Twice' is registered twice: by TwiceA and by TwiceB/,
    );
    await expect(bootEngine('version: v1\ntables: {}\n', { extra: { providers: [MyFakeName] } })).rejects.toThrow(
      /'FakeName' is registered twice: by (FakeNameTransform and by MyFakeName|MyFakeName and by FakeNameTransform)/,
    );
  });

  it('has a section in docs/transforms.md for every built-in type (Fake* and Password* share one each)', async () => {
    const doc = readFileSync(join(__dirname, '../../../docs/transforms.md'), 'utf8');
    const { module } = await bootEngine('version: v1\ntables: {}\n');
    const names = module.get(TransformRegistry).names();
    await module.close();
    const heading = (name: string) => (name.startsWith('Fake') ? '### Fake*' : name.startsWith('Password') ? '### Passwords' : `### ${name}`);
    expect(names.filter((name) => !doc.includes(`\n${heading(name)}\n`))).toEqual([]);
  });

  describe('the documented example (docs/transforms.md)', () => {
    it('is the file tested here, verbatim', () => {
      const doc = readFileSync(join(__dirname, '../../../docs/transforms.md'), 'utf8');
      const example = readFileSync(join(__dirname, '../test/examples/initials.transform.ts'), 'utf8');
      expect(doc).toContain(example.trim());
    });

    it('is discovered from an imported module, configured and applied', async () => {
      const yaml = 'version: v1\ntables:\n  public.people:\n    name: {type: Initials, separator: "-"}\n';
      const { engine, module } = await bootEngine(yaml, { extra: { imports: [MyTransformsModule] } });
      const out = await engine.transformTuple('public', 'people', [col('name')], { name: 'ada  lovelace' });
      expect(out.name).toBe('A-L-');
      expect(module.get(InitialsTransform)).toBeInstanceOf(InitialsTransform);
      await module.close();
    });

    it('has its options validated at boot', async () => {
      const yaml = 'version: v1\ntables:\n  public.people:\n    name: {type: Initials, separator: "----", sep: 1}\n';
      await expect(bootEngine(yaml, { extra: { imports: [MyTransformsModule] } })).rejects.toThrow(/unknown option 'sep' \(did you mean 'separator'\?\)/);
    });
  });
});

@Module({})
export class Unused {}
