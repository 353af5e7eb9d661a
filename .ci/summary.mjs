// Reads the Vitest and Playwright JSON reports and prints one tally line per runner and a total,
// so a reader of the CI log sees at the end what ran and what failed.
import { existsSync, readFileSync } from 'node:fs';

function read(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

let passed = 0;
let failed = 0;
let skipped = 0;

const unit = read('test-results/vitest.json');
if (unit) {
  const p = unit.numPassedTests ?? 0;
  const f = unit.numFailedTests ?? 0;
  const s = (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
  console.log(`unit: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p; failed += f; skipped += s;
} else {
  console.log('unit: no report (did not run)');
}

const e2e = read('e2e/.results/report.json');
if (e2e) {
  const st = e2e.stats ?? {};
  const p = (st.expected ?? 0) + (st.flaky ?? 0);
  const f = st.unexpected ?? 0;
  const s = st.skipped ?? 0;
  console.log(`e2e: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p; failed += f; skipped += s;
} else {
  console.log('e2e: no report (did not run)');
}

console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
