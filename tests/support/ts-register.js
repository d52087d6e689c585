/**
 * Lets a child `node` process run the TypeScript sources directly (for tests
 * that start the real server as a process, to kill it or send it SIGTERM).
 * Only our own .ts files are transpiled; types are checked by `npm run typecheck`.
 */
const ts = require('typescript');
const fs = require('node:fs');

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  module._compile(outputText, filename);
};
