import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { SnapshotTable } from '@kasho/contracts';
import { col, TEST_SECRET, writeConfig } from '@kasho/testing/transforms';
import { TransformsModule } from '@kasho/transforms';
import { CopyTransformModule } from './copy-transform.module';
import { CopyTransformer } from './copy-transformer';
import { CopyTransformers } from './copy-transformers';

const YAML = `version: v1
tables:
  public.users:
    name: FakeName
    note: {type: Template, template: '{{ .id }}'}
`;

function table(name: string): SnapshotTable {
  return {
    schema: 'public',
    table: name,
    columns: [col('id', 'bigint', true), col('name'), col('note')],
    estimatedRows: 0,
    estimatedBytes: 0,
    ranges: [],
    postDataSql: '',
    uniqueIndexes: [],
    foreignKeys: [],
  };
}

describe('CopyTransformModule', () => {
  let module: TestingModule;
  let transformers: CopyTransformers;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    // The app's one TransformsModule, imported at the root and handed to CopyTransformModule.
    const transforms = TransformsModule.forRoot({ file: writeConfig(YAML), secret: TEST_SECRET });
    module = await Test.createTestingModule({
      imports: [
        transforms,
        CopyTransformModule.forRootAsync({
          imports: [transforms],
          useFactory: () => ({ transformsFile: 'unused.yml', threads: 1, startOnInit: true }),
        }),
      ],
    }).compile();
    await module.init();
    transformers = module.get(CopyTransformers);
  });
  afterAll(() => module?.close());

  it('gives a table without rules no transformer (its bytes pass through)', async () => {
    expect(transformers.hasRules(table('orders'))).toBe(false);
    await expect(transformers.for(table('orders'), 'text')).resolves.toBeNull();
  });

  it('transforms a table with rules in this thread when no worker script is built (ts sources)', async () => {
    expect(transformers.hasRules(table('users'))).toBe(true);
    expect(transformers.ruleColumns(table('users')).sort()).toEqual(['id', 'name', 'note']);
    const transformer = await transformers.for(table('users'), 'binary');
    expect(transformer).toBeInstanceOf(CopyTransformer);
    transformer!.destroy();
  });
});
