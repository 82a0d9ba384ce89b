// Crash test: loads the running portal with transfers through its server functions, kills it
// with SIGKILL several times mid-load, restarts it, and checks the books afterwards:
//   * `bank-portal verify-ledger`: every entry sums to zero, every balance is the sum of its
//     postings, no customer account below zero, all balances sum to zero;
//   * the customers' total is what it was before the load (transfers only move money);
//   * every transfer the client saw acknowledged is stored, exactly once: a confirm that was in
//     flight when the server died is retried with the same idempotency key after the restart,
//     and the number of stored transfers equals the number of distinct acknowledged ones.
//
// Usage: node end2end/crash.mjs [transfers per customer, default 12] [kills, default 3]
// Needs the release build (PORTAL_BIN, see scripts/env.sh).
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';

const perCustomer = Number(process.argv[2] ?? 12);
const kills = Number(process.argv[3] ?? 3);
const bin = process.env.PORTAL_BIN;
if (!bin) throw new Error('PORTAL_BIN is not set (source scripts/env.sh)');
const port = Number(process.env.CRASH_PORT ?? 3500);
const base = `http://127.0.0.1:${port}`;
const dbFile = path.join(os.tmpdir(), `bank-crash-${process.pid}-${Date.now()}.db`);
const env = {
  ...process.env,
  APP_ENV: 'development',
  DATABASE_URL: `sqlite://${dbFile}`,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_SITE_ROOT: 'target/site',
  LEPTOS_ENV: 'PROD',
  RUST_LOG: 'error',
  SESSION_IDLE_SECS: '3600',
  // Each demo customer sends up to 25 small transfers: more than a day's allowance without a
  // code (the load is about crashes, not step-ups).
  CODE_FREE_DAILY_COUNT: '1000',
  CODE_FREE_DAILY_FEN: '100000000',
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
// Never leave a server behind, whatever happens to this script.
process.on('exit', () => server?.exitCode === null && server.kill('SIGKILL'));
process.on('uncaughtException', (e) => {
  console.error(`crash test: ${e.stack ?? e}`);
  process.exit(1);
});
async function start() {
  server = spawn(bin, [], { env, cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error('the portal did not come up');
}
async function crash() {
  server.kill('SIGKILL');
  await once(server, 'exit');
}
function verifyLedger() {
  const out = execFileSync(bin, ['verify-ledger'], { env: { ...env, RUST_LOG: 'error' }, cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  return JSON.parse(out.trim().split('\n').pop());
}

class Client {
  constructor(mobile) {
    this.mobile = mobile;
    this.cookies = new Map();
  }
  async call(endpoint, form = {}) {
    const res = await fetch(base + endpoint, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'sec-fetch-site': 'same-origin',
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams(form).toString(),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${endpoint}: ${res.status} ${text}`);
    return { location: res.headers.get('location'), body: text ? JSON.parse(text) : null };
  }
  async signIn() {
    await this.call('/api/login', { mobile: this.mobile, password: 'demo2026pass' });
    const sms = await (await fetch(`${base}/dev/sms?mobile=${this.mobile}`)).json();
    const code = /验证码 (\d{6})/.exec(sms[0].body)[1];
    await this.call('/api/verify_login', { code });
  }
}

/** Retries a call until the server answers (it may be down or restarting). */
async function persist(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt > 600) throw e;
      if (!/fetch failed|ECONNREFUSED|ECONNRESET|socket|terminated/i.test(String(e.cause ?? e))) throw e;
      await sleep(100);
    }
  }
}

async function load(client, payeeAlias, acked) {
  const form = await persist(() => client.call('/api/load_transfer_form'));
  const from = form.body.accounts[0].id;
  const payee = form.body.payees.find((p) => p.label.startsWith(payeeAlias)).value;
  // Keep sending until every planned crash has happened (bounded: the portal allows 30
  // confirmations per customer in ten minutes).
  for (let i = 0; (i < perCustomer || crashes < kills) && i < 25; i++) {
    await sleep(40);
    const amount = (1 + Math.floor(Math.random() * 5000)) / 100;
    await persist(() => client.call('/api/prepare_transfer', { from, payee, amount: amount.toFixed(2), memo: `crash ${i}` }));
    const confirm = await persist(() => client.call('/api/load_transfer_confirm'));
    const key = confirm.body.key;
    // The same key however often the confirm has to be sent again after a crash.
    const answer = await persist(() => client.call('/api/confirm_transfer', { key }));
    acked.add(answer.location.replace('/receipts/', ''));
  }
}

await start();
const wang = new Client('13800000001');
const li = new Client('13800000002');
await wang.signIn();
await li.signIn();
const before = verifyLedger();
const acked = new Set();
let done = false;
let crashes = 0;
const work = Promise.all([load(wang, '小李', acked), load(li, '王叔', acked)]).finally(() => (done = true));
while (!done && crashes < kills) {
  await sleep(100 + Math.random() * 300);
  if (done) break;
  await crash();
  crashes++;
  await start();
}
await work;
server.kill('SIGTERM');
await once(server, 'exit');
const after = verifyLedger();
// Each acknowledged transfer is there: its receipt loads for its owner.
await start();
let missing = 0;
for (const id of acked) {
  let found = false;
  for (const c of [wang, li]) {
    try {
      await c.call('/api/load_receipt', { id });
      found = true;
      break;
    } catch {}
  }
  if (!found) missing++;
}
server.kill('SIGTERM');
await once(server, 'exit');
const problems = [];
if (crashes < kills) problems.push(`only ${crashes} of ${kills} crashes happened mid-load`);
if (after.problems.length) problems.push(...after.problems);
if (after.customers !== before.customers) problems.push(`customers' total ${before.customers} → ${after.customers}`);
if (after.negative_accounts !== 0) problems.push(`${after.negative_accounts} accounts below zero`);
if (after.transfers - before.transfers !== acked.size)
  problems.push(`${acked.size} acknowledged transfers but ${after.transfers - before.transfers} stored`);
if (missing) problems.push(`${missing} acknowledged transfers have no receipt`);
console.log(JSON.stringify({ crashes, acknowledged: acked.size, before, after, problems }));
if (problems.length) process.exit(1);
