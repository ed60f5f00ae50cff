import { Logger } from '@nestjs/common';
import { TEST_SECRET, bootEngine, col, writeConfig } from '@kasho/testing/transforms';
import { createBuiltinTransformEngine } from './builtin-engine';
import { TransformRegistry } from './transform.registry';

const YAML = `version: v1
tables:
  public.users:
    name: FakeName
    email: {type: FakeEmail, unique: true}
    password: {type: PasswordPBKDF2, iterations: 1000, cleartext: '{{.name}}-pw'}
    active: Bool
`;

describe('createBuiltinTransformEngine (transform threads)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('gives what the TransformsModule engine gives, value for value', async () => {
    const { engine: nest, module } = await bootEngine(YAML);
    const plain = createBuiltinTransformEngine({ file: writeConfig(YAML), secret: TEST_SECRET });
    const columns = ['name', 'email', 'password', 'active'].map((c) => col(c));
    for (let i = 0; i < 50; i++) {
      const row = { name: `Ada ${i}`, email: `ada${i}@example.com`, password: `pw${i}`, active: i % 2 ? 't' : 'f' };
      expect(await plain.transformTuple('public', 'users', columns, row)).toEqual(await nest.transformTuple('public', 'users', columns, row));
    }
    expect(plain.keyed).toBe(true);
    await module.close();
  });

  it('knows every type the TransformsModule registry knows', async () => {
    const { module } = await bootEngine('version: v1\ntables: {}\n');
    const names = module.get(TransformRegistry).names();
    await module.close();
    const rule = (name: string) =>
      name === 'Regex'
        ? "{type: Regex, pattern: 'a', replacement: 'b'}"
        : name === 'Constant'
          ? '{type: Constant, value: x}'
          : name === 'Template'
            ? "{type: Template, template: 'x'}"
            : name.startsWith('Password')
              ? `{type: ${name}, cleartext: pw}`
              : name;
    const yaml = `version: v1\ntables:\n  public.t:\n${names.map((n, i) => `    c${i}: ${rule(n)}`).join('\n')}\n`;
    expect(() => createBuiltinTransformEngine({ file: writeConfig(yaml), secret: TEST_SECRET })).not.toThrow();
  });

  it('fails on a custom transform (a Nest provider of the application), naming the type and the column', () => {
    const file = writeConfig('version: v1\ntables:\n  public.people:\n    name: Initials\n');
    expect(() => createBuiltinTransformEngine({ file, secret: TEST_SECRET })).toThrow(/Initials/);
    expect(() => createBuiltinTransformEngine({ file, secret: TEST_SECRET })).toThrow(/public\.people\.name|name/);
  });
});
