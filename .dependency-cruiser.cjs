/**
 * The layering, checked by `npm run lint:boundaries` (part of `npm test`).
 * docs/ARCHITECTURE.md draws the same picture; each folder's README says
 * what it may import. Type-only imports count like any other (they are
 * dependencies of the design), except where a rule says otherwise.
 */

/** A rule whose breach fails the check: no import from the modules `from` matches to those `to` matches. */
function forbid(name, from, to, comment) {
  return { name, comment, severity: 'error', from, to };
}

/** Folders of `root`, top first: each may import only the folders after it, never one before it. */
function layers(name, root, order) {
  return order
    .slice(1)
    .map((folder, i) =>
      forbid(
        `${name}-${folder}`,
        { path: `^${root}/${folder}/` },
        { path: `^${root}/(${order.slice(0, i + 1).join('|')})/` },
        `${root}/${folder} sits below ${order.slice(0, i + 1).join(', ')} and may not import them ` +
          `(the order, top first: ${order.join(' > ')})`,
      ),
    );
}

module.exports = {
  forbidden: [
    forbid(
      'no-circular',
      {},
      { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
      'A cycle of imports that remain at run time: a module would see another half-loaded.',
    ),
    forbid(
      'no-type-cycle',
      {},
      { circular: true, viaOnly: { pathNot: ['^src/app/context\\.ts$'] } },
      'A cycle, type-only imports included. The one allowed kind runs through src/app/context.ts: ' +
        'TradingContext names the services it holds, and they take it as a parameter.',
    ),
    forbid(
      'domain-is-pure',
      { path: '^src/domain/' },
      { pathNot: ['^src/domain/', '(^|/)node_modules/(@types/)?luxon/', '^(node:)?crypto$'] },
      'src/domain imports only src/domain, plus luxon (New York and status time zones) and node:crypto (the signal identity hash).',
    ),
    forbid(
      'ports-import-only-the-domain',
      { path: '^src/ports/' },
      { pathNot: ['^src/(ports|domain)/'] },
      'A port is an interface over domain types; it names no adapter, use case or library.',
    ),
    forbid(
      'shared-is-below-the-app',
      { path: '^src/shared/' },
      { path: '^(src|analytics|bench|tests)/', pathNot: ['^src/(shared|domain|ports)/'] },
      'src/shared serves the server and the report CLIs alike, so it imports only the domain and the ports.',
    ),
    forbid(
      'app-reaches-adapters-only-through-ports',
      { path: '^src/app/' },
      { path: ['^src/(adapters|http)/', '^src/(main|server|wiring)\\.ts$'] },
      'Use cases never import an adapter, Express, or the wiring that picks the adapters.',
    ),
    forbid(
      'app-top-files-name-folders-by-type-only',
      { path: '^src/app/[^/]+\\.ts$' },
      { path: '^src/app/[^/]+/', dependencyTypesNot: ['type-only'] },
      'context.ts, outcome.ts and trade-job.ts are the vocabulary every app folder shares; they import the folders for types only.',
    ),
    ...layers('app-layers', 'src/app', ['lifecycle', 'signal', 'strategies', 'protection', 'positions', 'orders', 'sheet', 'guards']),
    ...layers('domain-layers', 'src/domain', ['sheet', 'trading', 'performance', 'signal']),
    forbid(
      'adapters-never-import-use-cases-or-http',
      { path: '^src/adapters/' },
      { path: '^src/(app|http)/' },
      'An adapter implements a port; it knows nothing of the use cases or of Express routes.',
    ),
    forbid(
      'analytics-never-imports-app-or-http',
      { path: '^analytics/' },
      { path: '^src/(app|http)/' },
      'The report CLIs reuse the domain, ports, adapters, settings and src/shared; never the use cases or the HTTP layer.',
    ),
    ...layers('analytics-layers', 'analytics', ['profit', 'report', 'charts', 'fetch', 'model']),
    forbid(
      'shipped-code-never-imports-tests',
      { path: '^(src|analytics)/' },
      { path: '^tests/' },
      'The fakes and test support stay out of what is built and run.',
    ),
    forbid('no-unresolvable', {}, { couldNotResolve: true }, 'An import the checker cannot resolve would slip past every rule above.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages as the compiled CommonJS code loads them (csv-parse/sync is only in `exports`).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
