// Fails when src/api/generated.ts is not what `npm run codegen` makes from openapi.json today.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

import { generateEndpoints } from '@rtk-query/codegen-openapi';

const require = createRequire(import.meta.url);
const config = require('../openapi-config.cjs');
const scratch = './src/api/.generated.check.ts'; // beside the real one: the same relative imports
try {
  await generateEndpoints({ ...config, outputFile: scratch });
  if (readFileSync(scratch, 'utf8') !== readFileSync(config.outputFile, 'utf8')) {
    console.error('src/api/generated.ts is stale: run `make web-client` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log('API client matches openapi.json');
  }
} finally {
  rmSync(scratch, { force: true });
}
