import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

// The suite runs against the release build (`cargo leptos build --release`), started here on
// a port of its own with a fresh SQLite database, and drives Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3400);
// localhost, not 127.0.0.1: passkeys (WebAuthn) are bound to a host name and refuse IP
// addresses. The server listens on 127.0.0.1 and binds passkeys to http://localhost:<port>.
const baseURL = `http://localhost:${port}`;
const targetDir = process.env.CARGO_TARGET_DIR ?? path.resolve(__dirname, '../target');
const bin = process.env.PORTAL_BIN ?? path.join(targetDir, 'release/bank-portal');
const dbFile = path.join(os.tmpdir(), `bank-e2e-${process.pid}-${Date.now()}.db`);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: './test-results/artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    // A phone-sized viewport: the portal is the mobile bank in a browser or webview.
    viewport: { width: 390, height: 844 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: bin,
    cwd: path.resolve(__dirname, '..'),
    // Node may resolve localhost to ::1 first; the server listens on IPv4 only.
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      APP_ENV: 'development',
      DATABASE_URL: `sqlite://${dbFile}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_ENV: 'PROD',
      LOG_FORMAT: 'pretty',
      RUST_LOG: 'warn',
      // Short enough that the idle warning (60 s before the end) shows within a test.
      SESSION_IDLE_SECS: '75',
      // The console's: its warning shows after ~30 s of quiet.
      STAFF_IDLE_SECS: '90',
      // Interbank transfers answered within seconds, so a test sees pending become settled.
      CLEARING_DELAY_SECS: '2',
      // Every test browser asks for its SMS codes from 127.0.0.1, as a village behind one
      // carrier address would; the suite registers more customers an hour than the default 20.
      CODES_PER_ADDRESS_HOUR: '500',
    },
  },
});
