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
console.log(`| **first load, every page** | ${kb(sum(first, 'raw'))} | **${kb(sum(first, 'br'))}** |`);

// Chunks loaded later, on navigation (WASM splitting): every .wasm besides the main one.
const later = files.filter((f) => f.endsWith('.wasm') && !main.includes(f));
if (later.length > 0) {
  console.log('\n| chunk loaded on navigation | raw KB | brotli KB |\n|---|---|---|');
  for (const f of later.sort()) console.log(`| ${f} | ${kb(size.get(f).raw)} | ${kb(size.get(f).br)} |`);
}

// Every route of the router loads the same first chunk; a route's own chunks come after.
const shell = readFileSync(join(root, 'app/src/shell.rs'), 'utf8');
const routes = [...shell.matchAll(/path=path!\("([^"]+)"\)/g)].map((m) => m[1]);
console.log(`\n${routes.length} routes, each ${kb(sum(first, 'br'))} KB (brotli) on a first visit: ${routes.join(' ')}`);
