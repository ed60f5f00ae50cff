'use strict';
/**
 * ESLint rule `kasho/boundaries`: the import boundaries between the projects of this repository.
 * A project is apps/<name>, libs/<name>, test or bench; files elsewhere (the root's launchers and
 * configs, tools/) are not checked.
 *
 * 1. No relative import leaves its project: another project is reached through `@kasho/<lib>`.
 *    Nor through the tsconfig baseUrl (`libs/x/src/...`, `apps/...`).
 * 2. `@kasho/<lib>/<sub>` only where tsconfig.json `paths` declares that very name (the one list of
 *    allowed deep imports); everything else goes through the lib's barrel.
 * 3. `@kasho/testing` only from test code: specs, libs/<lib>/test/**, test/**, bench/**, libs/testing
 *    itself, and the apps listed in `testingApps` (the demo starts its throwaway clusters with it).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

function declaredKashoPaths() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  return new Set(Object.keys(tsconfig.compilerOptions.paths ?? {}).filter((name) => name.startsWith('@kasho/')));
}

/** `apps/x`, `libs/x`, `test`, `bench`, … or '' for a file at the root; `rel` is relative to ROOT, with '/'. */
function projectOf(rel) {
  const parts = rel.split('/');
  if (parts.length === 1) return '';
  if ((parts[0] === 'apps' || parts[0] === 'libs') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

function isTestFile(rel) {
  if (/\.(spec|int-spec|e2e-spec)\.ts$/.test(rel)) return true;
  const parts = rel.split('/');
  if (parts[0] === 'test' || parts[0] === 'bench') return true;
  return (parts[0] === 'libs' || parts[0] === 'apps') && parts[2] === 'test';
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Import boundaries between the apps, libs, test and bench of this repository' },
    schema: [
      {
        type: 'object',
        properties: { testingApps: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    ],
    messages: {
      crossProject: "'{{source}}' leaves {{from}} for {{to}} by a relative path: import the @kasho/<lib> barrel instead.",
      baseUrl: "'{{source}}' imports through the tsconfig baseUrl: import the @kasho/<lib> barrel instead.",
      deepImport: "'{{source}}' reaches inside a lib: import '@kasho/{{lib}}', or declare the path in tsconfig.json `paths`.",
      testingInSource: "'@kasho/testing' is test code: it is never imported by {{file}}.",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const testingApps = new Set(options.testingApps ?? []);
    const declared = declaredKashoPaths();
    const filename = context.filename ?? context.getFilename();
    const rel = path.relative(ROOT, filename).split(path.sep).join('/');
    const from = projectOf(rel);
    if (!/^(apps|libs)\/[^/]+$|^(test|bench)$/.test(from)) return {};

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), source));
        const to = projectOf(target);
        if (to !== from || target.startsWith('..')) {
          context.report({ node, messageId: 'crossProject', data: { source, from, to: to || 'the root' } });
        }
        return;
      }
      if (/^(apps|libs)\//.test(source)) {
        context.report({ node, messageId: 'baseUrl', data: { source } });
        return;
      }
      const kasho = /^@kasho\/([^/]+)(\/.*)?$/.exec(source);
      if (!kasho) return;
      if (kasho[2] && !declared.has(source)) {
        context.report({ node, messageId: 'deepImport', data: { source, lib: kasho[1] } });
        return;
      }
      if (kasho[1] === 'testing' && !isTestFile(rel) && from !== 'libs/testing' && !testingApps.has(from)) {
        context.report({ node, messageId: 'testingInSource', data: { file: rel } });
      }
    }

    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node.moduleReference.expression, node.moduleReference.expression.value),
      TSImportType: (node) => node.argument?.type === 'TSLiteralType' && check(node.argument, node.argument.literal.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};
