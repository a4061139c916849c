// `npm run codegen` regenerates src/api/generated.ts from openapi.json (written by `keel openapi`).
/** @type {import('@rtk-query/codegen-openapi').ConfigFile} */
module.exports = {
  schemaFile: './openapi.json',
  apiFile: './src/api/base.ts',
  apiImport: 'baseApi',
  outputFile: './src/api/generated.ts',
  exportName: 'keelApi',
  hooks: { queries: true, lazyQueries: true, mutations: true },
  tag: true,
  // The session's own Authorization header already says which access token logout revokes.
  endpointOverrides: [{ pattern: 'logout', parameterFilter: (name) => name !== 'authorization' }],
};
