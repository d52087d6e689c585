/**
 * The layering, checked by `npm run lint:boundaries` (part of `npm test`).
 * docs/ARCHITECTURE.md draws the same picture; each folder's README says
 * what it may import. Type-only imports count like any other (they are
 * dependencies of the design), except where a rule says otherwise.
 */

/** Folders of `root`, top first: each may import only the folders after it, never one before it. */
function layers(name, root, order) {
  return order.slice(1).map((folder, i) => ({
    name: `${name}-${folder}`,
    comment: `${root}/${folder} sits below ${order.slice(0, i + 1).join(', ')} and may not import them (the order, top first: ${order.join(' > ')})`,
    severity: 'error',
    from: { path: `^${root}/${folder}/` },
    to: { path: `^${root}/(${order.slice(0, i + 1).join('|')})/` },
  }));
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports that remain at run time: a module would see another half-loaded.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycle',
      comment:
        'A cycle, type-only imports included. The one allowed kind runs through src/app/context.ts: ' +
        'TradingContext names the services it holds, and they take it as a parameter.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { pathNot: ['^src/app/context\\.ts$'] } },
    },
    {
      name: 'domain-is-pure',
      comment:
        'src/domain imports only src/domain, plus luxon (New York and status time zones) and node:crypto (the signal identity hash).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/(@types/)?luxon/', '^(node:)?crypto$'] },
    },
    {
      name: 'ports-import-only-the-domain',
      comment: 'A port is an interface over domain types; it names no adapter, use case or library.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: ['^src/(ports|domain)/'] },
    },
    {
      name: 'shared-is-below-the-app',
      comment: 'src/shared serves the server and the report CLIs alike, so it imports only the domain and the ports.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|analytics|bench|tests)/', pathNot: ['^src/(shared|domain|ports)/'] },
    },
    {
      name: 'app-reaches-adapters-only-through-ports',
      comment: 'Use cases never import an adapter, Express, or the wiring that picks the adapters.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: ['^src/(adapters|http)/', '^src/(main|server|wiring)\\.ts$'] },
    },
    {
      name: 'app-top-files-name-folders-by-type-only',
      comment: 'context.ts, outcome.ts and trade-job.ts are the vocabulary every app folder shares; they import the folders for types only.',
      severity: 'error',
      from: { path: '^src/app/[^/]+\\.ts$' },
      to: { path: '^src/app/[^/]+/', dependencyTypesNot: ['type-only'] },
    },
    ...layers('app-layers', 'src/app', ['lifecycle', 'signal', 'strategies', 'protection', 'positions', 'orders', 'sheet', 'guards']),
    ...layers('domain-layers', 'src/domain', ['sheet', 'trading', 'performance', 'signal']),
    {
      name: 'adapters-never-import-use-cases-or-http',
      comment: 'An adapter implements a port; it knows nothing of the use cases or of Express routes.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(app|http)/' },
    },
    {
      name: 'analytics-never-imports-app-or-http',
      comment: 'The report CLIs reuse the domain, ports, adapters, settings and src/shared; never the use cases or the HTTP layer.',
      severity: 'error',
      from: { path: '^analytics/' },
      to: { path: '^src/(app|http)/' },
    },
    ...layers('analytics-layers', 'analytics', ['profit', 'report', 'charts', 'fetch', 'model']),
    {
      name: 'shipped-code-never-imports-tests',
      comment: 'The fakes and test support stay out of what is built and run.',
      severity: 'error',
      from: { path: '^(src|analytics)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import the checker cannot resolve would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages as the compiled CommonJS code loads them (csv-parse/sync is only in `exports`).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
