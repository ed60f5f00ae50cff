import { RuleTester } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require('./kasho-boundaries');

const ROOT = join(__dirname, '../..');
const at = (file: string) => join(ROOT, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });

tester.run('kasho/boundaries', rule, {
  valid: [
    { filename: at('apps/translicator/src/apply/a.ts'), code: "import { x } from '../config/translicator.env';" },
    { filename: at('libs/transforms/src/builtin/fake/a.ts'), code: "import { x } from '../../transform.decorator';" },
    { filename: at('libs/apply/src/a.spec.ts'), code: "import { col } from '../test/changes';" },
    { filename: at('apps/translicator/src/a.ts'), code: "import { TransformsModule } from '@kasho/transforms';" },
    { filename: at('apps/translicator/src/snapshot/w.ts'), code: "import { x } from '@kasho/transforms/builtin-engine';" },
    { filename: at('apps/translicator/src/a.spec.ts'), code: "import { bootEngine } from '@kasho/testing/transforms';" },
    { filename: at('libs/buffer/src/a.int-spec.ts'), code: "import { EphemeralRedis } from '@kasho/testing';" },
    { filename: at('test/a.e2e-spec.ts'), code: "import { x } from './support/raw-grpc';" },
    { filename: at('bench/snapshot/a.ts'), code: "import { EphemeralPostgres } from '@kasho/testing';" },
    { filename: at('libs/testing/src/transforms/a.ts'), code: "import { x } from '../ephemeral-postgres';" },
    { filename: at('apps/demo/src/a.ts'), code: "import { freePort } from '@kasho/testing';", options: [{ testingApps: ['apps/demo'] }] },
    { filename: at('pg-translicator'), code: "require('./dist/apps/translicator/apps/translicator/src/main.js');" },
  ],
  invalid: [
    {
      filename: at('apps/translicator/src/a.spec.ts'),
      code: "import { x } from '../../../libs/transforms/test/engine-fixture';",
      errors: [{ messageId: 'crossProject' }],
    },
    { filename: at('apps/translicator/src/a.ts'), code: "import { x } from '../../change-stream/src/x';", errors: [{ messageId: 'crossProject' }] },
    { filename: at('libs/apply/src/a.ts'), code: "export * from '../../buffer/src';", errors: [{ messageId: 'crossProject' }] },
    { filename: at('libs/apply/src/a.ts'), code: "const m = require('../../../apps/translicator/src/x');", errors: [{ messageId: 'crossProject' }] },
    { filename: at('test/a.e2e-spec.ts'), code: "import { x } from '../libs/transforms/src/x';", errors: [{ messageId: 'crossProject' }] },
    { filename: at('bench/snapshot/a.ts'), code: "const m = import('../../libs/testing/src');", errors: [{ messageId: 'crossProject' }] },
    { filename: at('apps/translicator/src/a.ts'), code: "import { x } from 'libs/apply/src/x';", errors: [{ messageId: 'baseUrl' }] },
    { filename: at('apps/translicator/src/a.ts'), code: "import { x } from '@kasho/apply/target-applier';", errors: [{ messageId: 'deepImport' }] },
    { filename: at('apps/translicator/src/a.ts'), code: "type P = import('@kasho/contracts/position').Position;", errors: [{ messageId: 'deepImport' }] },
    { filename: at('apps/change-stream/src/a.ts'), code: "import { waitFor } from '@kasho/testing';", errors: [{ messageId: 'testingInSource' }] },
    { filename: at('libs/apply/src/a.ts'), code: "import type { EphemeralPostgres } from '@kasho/testing';", errors: [{ messageId: 'testingInSource' }] },
    { filename: at('apps/demo/src/a.ts'), code: "import { freePort } from '@kasho/testing';", errors: [{ messageId: 'testingInSource' }] },
  ],
});
