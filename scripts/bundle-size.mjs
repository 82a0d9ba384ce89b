#!/usr/bin/env node
// Prints what a browser downloads on its first visit to the portal, brotli-compressed at the
// highest quality (as the release build precompresses it): the JS, WASM and CSS every page
// links, and any WASM chunk loaded later on navigation. Builds nothing: reads the release site
// (`target/site`, or the directory given as the first argument) and the router's routes
// (`app/src/shell.rs`).
import { brotliCompressSync, constants } from 'node:zlib';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = resolve(process.argv[2] ?? join(root, 'target/site'));
const pkg = join(site, 'pkg');
if (!existsSync(pkg)) {
  console.error(`no built site at ${site}: run a release build first`);
  process.exit(1);
}

const brotli = (bytes) =>
  brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
const files = readdirSync(pkg).filter((f) => statSync(join(pkg, f)).isFile() && !/\.(br|gz|ts)$/.test(f));
const size = new Map(files.map((f) => {
  const bytes = readFileSync(join(pkg, f));
  return [f, { raw: bytes.length, br: brotli(bytes) }];
}));

// The main chunk every page loads: the app's JS and WASM (named by content when hashed) and
// the stylesheet (and the split loader's JS when the WASM is split).
const main = files.filter((f) => /^bank-portal[._]/.test(f) && /\.(js|wasm|css)$/.test(f) && !f.includes('__wasm_split'));
const splitJs = files.filter((f) => f.startsWith('__wasm_split') && f.endsWith('.js'));

const kb = (n) => (n / 1024).toFixed(1);
const sum = (list, key) => list.reduce((s, f) => s + (size.get(f)?.[key] ?? 0), 0);
const first = [...main, ...splitJs];

console.log(`Site: ${site}`);
console.log('\n| file | raw KB | brotli KB |\n|---|---|---|');
for (const f of [...first].sort()) console.log(`| ${f.replace(/\.[A-Za-z0-9_-]{16,}\./, '.<hash>.')} | ${kb(size.get(f).raw)} | ${kb(size.get(f).br)} |`);
console.log(`| **main: every first visit** | ${kb(sum(first, 'raw'))} | **${kb(sum(first, 'br'))}** |`);

// Chunks loaded later (WASM splitting): the split manifest lists, for each chunk name, the
// files a page of that chunk needs beyond the main WASM (its own and any shared with others).
const manifestFile = files.find((f) => /^__wasm_split_manifest.*\.json$/.test(f));
const manifest = manifestFile ? JSON.parse(readFileSync(join(pkg, manifestFile), 'utf8')) : {};
const later = files.filter((f) => f.endsWith('.wasm') && !main.includes(f));
if (later.length > 0) {
  console.log('\n| chunk loaded on navigation | raw KB | brotli KB |\n|---|---|---|');
  for (const f of later.sort()) console.log(`| ${f.replace(/\.[A-Za-z0-9_-]{16,}\./, '.<hash>.')} | ${kb(size.get(f).raw)} | ${kb(size.get(f).br)} |`);
}

// Each route's first visit: the main files plus its chunk's files. A lazily loaded route is
// written `view=module::PAGE` and its chunk is named after the module.
const shell = readFileSync(join(root, 'app/src/shell.rs'), 'utf8');
const routes = [...shell.matchAll(/path=path!\("([^"]+)"\)\s+view=(?:(\w+)::)?/g)].map((m) => ({ path: m[1], chunk: m[2] ?? null }));
console.log('\n| route | chunk | first visit, brotli KB |\n|---|---|---|');
let worst = 0;
for (const { path, chunk } of routes) {
  const own = chunk ? (manifest[chunk] ?? []).map((m) => `${m}.wasm`) : [];
  const missing = own.filter((f) => !size.has(f));
  if (chunk && (own.length === 0 || missing.length > 0)) {
    console.error(`route ${path}: chunk "${chunk}" not in the split manifest (${manifestFile ?? 'none'})`);
    process.exitCode = 1;
  }
  const total = sum([...first, ...own], 'br');
  worst = Math.max(worst, total);
  console.log(`| ${path} | ${chunk ?? 'main'} | ${kb(total)} |`);
}
console.log(`\n${routes.length} routes; the main chunk (the home, sign-in) ${kb(sum(first, 'br'))} KB, the heaviest first visit ${kb(worst)} KB (brotli).`);
