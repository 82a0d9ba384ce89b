// Reads Playwright's JSON report and prints "N passed, N failed" (or the two numbers).
import { readFileSync } from 'node:fs';

const [file, mode] = process.argv.slice(2);
let passed = 0;
let failed = 0;
try {
  const stats = JSON.parse(readFileSync(file, 'utf8')).stats;
  passed = stats.expected + stats.flaky;
  failed = stats.unexpected;
} catch (e) {
  failed = 1;
}
console.log(mode === '--numbers' ? `${passed} ${failed}` : `${passed} passed, ${failed} failed`);
