// The JavaScript a first visit downloads before the app can draw (the entry script and what it
// preloads), gzip-compressed. Routes and charts load later, on demand. Budget: 170 kB.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 170;
const html = readFileSync('dist/index.html', 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const src of scripts) {
  const size = gzipSync(readFileSync(`dist${src}`), { level: 9 }).length;
  total += size;
  console.log(`  ${src}: ${(size / 1024).toFixed(1)} kB gzip`);
}
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} kB gzip (budget ${BUDGET_KB} kB)`);
if (total / 1024 > BUDGET_KB) {
  console.error('over budget: load more of the app lazily');
  process.exitCode = 1;
}
