// Crash test: loads the running portal with transfers through its server functions, kills it
// several times while a confirmation is in flight, restarts it, and checks the books:
//   * `bank-portal verify-ledger`: every entry sums to zero, every balance is the sum of its
//     postings, no customer account below zero, all balances sum to zero;
//   * each customer's money is what it was, less what they were told they sent, plus what they
//     were told they received (so a transfer posted with a wrong amount, twice, or lost, shows);
//   * every transfer the client saw acknowledged is stored, exactly once: a confirmation in
//     flight when the server died is sent again with the same idempotency key after the
//     restart and answered with the first result; at least one kill must have hit one;
//   * on PostgreSQL, the database's backends are killed too (PostgreSQL recovers from a killed
//     backend by restarting all of them): the portal keeps running and the same holds.
//
// Usage: node end2end/crash.mjs [transfers per customer, default 12] [kills, default 3]
//        [sqlite | postgres, default sqlite]
// Needs the release build (PORTAL_BIN, see scripts/env.sh); PostgreSQL at CRASH_POSTGRES
// (default postgres://postgres@127.0.0.1:5432, trust auth; a database of its own is made and
// dropped).
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';

const perCustomer = Number(process.argv[2] ?? 12);
const kills = Number(process.argv[3] ?? 3);
const engine = process.argv[4] ?? 'sqlite';
const bin = process.env.PORTAL_BIN;
if (!bin) throw new Error('PORTAL_BIN is not set (source scripts/env.sh)');
const port = Number(process.env.CRASH_PORT ?? (engine === 'postgres' ? 3501 : 3500));
const base = `http://127.0.0.1:${port}`;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const pgServer = process.env.CRASH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
const pgName = `bank_crash_${process.pid}`;
function psql(database, sql) {
  return execFileSync('psql', [`${pgServer}/${database}`, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .toString()
    .trim();
}

let databaseUrl;
if (engine === 'postgres') {
  psql('test', `CREATE DATABASE ${pgName}`);
  databaseUrl = `${pgServer}/${pgName}`;
} else if (engine === 'sqlite') {
  databaseUrl = `sqlite://${path.join(os.tmpdir(), `bank-crash-${process.pid}-${Date.now()}.db`)}`;
} else {
  throw new Error(`engine ${engine}: sqlite or postgres`);
}
const env = {
  ...process.env,
  APP_ENV: 'development',
  DATABASE_URL: databaseUrl,
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

let server;
function dropDatabase() {
  if (engine !== 'postgres') return;
  try {
    psql('test', `DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
  } catch (e) {
    console.error(`crash test: could not drop ${pgName}: ${e.stderr ?? e}`);
  }
}
// Never leave a server or a database behind, whatever happens to this script.
process.on('exit', () => {
  if (server?.exitCode === null) server.kill('SIGKILL');
  dropDatabase();
});
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
async function crashPortal() {
  server.kill('SIGKILL');
  await once(server, 'exit');
  await start();
}
/** SIGKILL one of PostgreSQL's backends serving the portal: PostgreSQL then ends every
 * backend, recovers, and takes connections again; the portal stays up. */
async function crashDatabase() {
  const pid = psql(
    'test',
    `SELECT pid FROM pg_stat_activity WHERE datname = '${pgName}' AND backend_type = 'client backend' LIMIT 1`,
  );
  if (!pid) throw new Error('no PostgreSQL backend serves the portal');
  process.kill(Number(pid), 'SIGKILL');
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    try {
      psql('test', 'SELECT 1');
      return;
    } catch {}
  }
  throw new Error('PostgreSQL did not come back');
}
function verifyLedger() {
  const out = execFileSync(bin, ['verify-ledger'], { env: { ...env, RUST_LOG: 'error' }, cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  return JSON.parse(out.trim().split('\n').pop());
}

/** Fen from the portal's "¥1,234.56". */
function fen(yuan) {
  const m = /^¥(-?)([\d,]+)\.(\d\d)$/.exec(yuan);
  if (!m) throw new Error(`not an amount: ${yuan}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replaceAll(',', '')) * 100 + Number(m[3]));
}

class Client {
  constructor(mobile) {
    this.mobile = mobile;
    this.cookies = new Map();
    this.sent = 0;
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
    if (res.status >= 500) throw new Unavailable(`${endpoint}: ${res.status} ${text}`);
    if (res.status >= 400) throw new Error(`${endpoint}: ${res.status} ${text}`);
    return { location: res.headers.get('location'), body: text ? JSON.parse(text) : null };
  }
  async signIn() {
    await this.call('/api/login', { mobile: this.mobile, password: 'demo2026pass' });
    const sms = await (await fetch(`${base}/dev/sms?mobile=${this.mobile}`)).json();
    const code = /验证码 (\d{6})/.exec(sms[0].body)[1];
    await this.call('/api/verify_login', { code });
  }
  /** The customer's money over all their accounts, fen. */
  async total() {
    const view = await persist(() => this.call('/api/load_accounts'));
    return view.body.accounts.reduce((sum, a) => sum + fen(a.balance), 0);
  }
}
/** A 5xx: the server (or its database) failed this time; the same request may be sent again. */
class Unavailable extends Error {}

/** Retries a call until the server answers (it may be down, restarting, or without its
 * database for a moment); returns the answer and how many attempts failed first. */
async function persistCounting(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      return [await fn(), attempt];
    } catch (e) {
      if (attempt > 600) throw e;
      const down = e instanceof Unavailable || /fetch failed|ECONNREFUSED|ECONNRESET|socket|terminated/i.test(String(e.cause ?? e));
      if (!down) throw e;
      await sleep(100);
    }
  }
}
const persist = async (fn) => (await persistCounting(fn))[0];

// The kills: each waits for a confirmation to be on its way, then strikes within 3 ms.
let crashes = 0;
let confirmSent = null;
const kinds = engine === 'postgres' ? ['portal', 'database'] : ['portal'];
let interrupted = 0;

async function load(client, payeeAlias, acked) {
  const form = await persist(() => client.call('/api/load_transfer_form'));
  const from = form.body.accounts[0].id;
  // A saved payee's label is its alias, masked name, bank and card tail.
  const payee = form.body.payees.find((p) => p.label.Saved?.startsWith(payeeAlias)).value;
  // Keep sending until every planned crash has happened (bounded: the portal allows 30
  // confirmations per customer in ten minutes).
  for (let i = 0; (i < perCustomer || crashes < kills) && i < 25; i++) {
    await sleep(20);
    const amount = 1 + Math.floor(Math.random() * 5000);
    await persist(() => client.call('/api/prepare_transfer', { from, payee, amount: (amount / 100).toFixed(2), memo: `crash ${i}` }));
    const confirm = await persist(() => client.call('/api/load_transfer_confirm'));
    const key = confirm.body.key;
    // The same key however often the confirm has to be sent again after a crash.
    const answer = persistCounting(() => client.call('/api/confirm_transfer', { key }));
    confirmSent?.();
    const [done, failures] = await answer;
    if (failures > 0) interrupted++;
    const id = done.location.replace('/receipts/', '');
    if (!acked.has(id)) {
      acked.set(id, { from: client, amount });
      client.sent += amount;
    }
  }
}

await start();
const wang = new Client('13800000001');
const li = new Client('13800000002');
await wang.signIn();
await li.signIn();
const before = verifyLedger();
const money = { wang: await wang.total(), li: await li.total() };
const acked = new Map();
let done = false;
const work = Promise.all([load(wang, '小李', acked), load(li, '王叔', acked)]).finally(() => (done = true));
while (!done && crashes < kills) {
  await Promise.race([new Promise((r) => (confirmSent = r)), work]);
  confirmSent = null;
  if (done) break;
  await sleep(Math.random() * 3);
  const kind = kinds[crashes % kinds.length];
  await (kind === 'portal' ? crashPortal() : crashDatabase());
  crashes++;
}
await work;
const totals = { wang: await wang.total(), li: await li.total() };
server.kill('SIGTERM');
await once(server, 'exit');
const after = verifyLedger();
// Each acknowledged transfer is there: its receipt loads for its owner.
await start();
let missing = 0;
for (const [id, { from }] of acked) {
  try {
    await from.call('/api/load_receipt', { id });
  } catch {
    missing++;
  }
}
server.kill('SIGTERM');
await once(server, 'exit');
const problems = [];
if (crashes < kills) problems.push(`only ${crashes} of ${kills} crashes happened mid-load`);
if (interrupted === 0) problems.push('no kill hit a confirmation in flight');
if (after.problems.length) problems.push(...after.problems);
if (after.customers !== before.customers) problems.push(`customers' total ${before.customers} → ${after.customers}`);
if (after.negative_accounts !== 0) problems.push(`${after.negative_accounts} accounts below zero`);
if (after.transfers - before.transfers !== acked.size)
  problems.push(`${acked.size} acknowledged transfers but ${after.transfers - before.transfers} stored`);
if (missing) problems.push(`${missing} acknowledged transfers have no receipt`);
const expected = { wang: money.wang - wang.sent + li.sent, li: money.li - li.sent + wang.sent };
for (const who of ['wang', 'li'])
  if (totals[who] !== expected[who]) problems.push(`${who} holds ${totals[who]} fen, acknowledged transfers say ${expected[who]}`);
console.log(JSON.stringify({ engine, crashes, interrupted, acknowledged: acked.size, money, totals, problems }));
if (problems.length) process.exit(1);
