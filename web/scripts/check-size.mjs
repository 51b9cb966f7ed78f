// Page weight budget (issue 9): each page's JavaScript, gzipped, must stay under 200 KB, counting
// the entry, every chunk it imports statically and every chunk it may load later (dynamic
// imports such as Chart.js). Reads web/dist after `npm run build`; exits 1 over budget.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const budget = Number(process.env.PAGE_JS_BUDGET_KB ?? 200) * 1024;

const gz = new Map();
const gzipped = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file))).length);
  return gz.get(file);
};

// Every chunk a JS file can reach: Vite writes sibling chunks as "./name-hash.js" (static
// imports, __vitePreload dependency lists and dynamic import()).
function reachable(start) {
  const seen = new Set();
  const queue = [...start];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    for (const m of text.matchAll(/["'`](?:\.\/|\/assets\/|assets\/)([\w.-]+\.js)["'`]/g)) queue.push(`assets/${m[1]}`);
  }
  return seen;
}

let failed = false;
const rows = [];
for (const html of readdirSync(dist).filter((f) => f.endsWith('.html')).sort()) {
  const text = readFileSync(join(dist, html), 'utf8');
  const entries = [...text.matchAll(/(?:src|href)="\/(assets\/[\w.-]+\.js)"/g)].map((m) => m[1]);
  const files = reachable(entries);
  const bytes = [...files].reduce((sum, f) => sum + gzipped(f), 0);
  rows.push([html, (bytes / 1024).toFixed(1), files.size]);
  if (bytes > budget) failed = true;
}
for (const [page, kb, n] of rows) console.log(`${page.padEnd(20)} ${kb.padStart(7)} KB gzipped JS in ${n} file(s)`);
console.log(`page JS budget ${budget / 1024} KB: ${failed ? 'EXCEEDED' : 'ok'}`);
process.exit(failed ? 1 : 0);
