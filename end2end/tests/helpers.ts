import * as crypto from 'node:crypto';
import { expect, Locator, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Slug = 'city' | 'rural' | 'city-simple' | 'rural-simple';

export const EDITIONS: { slug: Slug; name: string; simple: boolean; tiles: number }[] = [
  { slug: 'city', name: '城市版', simple: false, tiles: 15 },
  { slug: 'rural', name: '乡村智慧版', simple: false, tiles: 15 },
  { slug: 'city-simple', name: '城市简约版', simple: true, tiles: 6 },
  { slug: 'rural-simple', name: '乡村简约版', simple: true, tiles: 6 },
];

/** Another edition than `slug`, to switch to and back from. */
export function other(slug: Slug): Slug {
  const order: Slug[] = ['city', 'rural-simple', 'rural', 'city-simple'];
  return order[(order.indexOf(slug) + 1) % order.length];
}

export async function expectEdition(page: Page, slug: Slug) {
  await expect(page.locator('html')).toHaveAttribute('data-edition', slug);
}

/** Waits until the WASM app has hydrated the page (the app marks <html> when it has). */
export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

const shotDir = path.resolve(__dirname, '../test-results/screenshots');

/** Keeps a full-page screenshot as a test artifact (test-results/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** axe-core over the page: WCAG 2.0/2.1/2.2 A and AA, plus 7:1 contrast in the simple editions. */
export async function expectAccessible(page: Page, simple: boolean) {
  // Scrolled to the end, the sticky bottom navigation sits in its own place: axe then measures
  // every target unobscured. (Keyboard focus never hides under it: scroll-padding-bottom.)
  // Followed until two looks agree, in case the page is still growing at its end.
  let height = -1;
  for (let i = 0; i < 20; i++) {
    const now = await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return document.documentElement.scrollHeight;
    });
    if (now === height) break;
    height = now;
  }
  const aa = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(aa.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  if (simple) {
    const aaa = await new AxeBuilder({ page }).withRules(['color-contrast-enhanced']).analyze();
    expect(aaa.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.any.map((a) => a.message).join(' ')}`).join(', ')}`)).toEqual([]);
  }
}

/**
 * The elder editions' size rules, measured in the browser: every piece of visible text has a
 * computed font size of at least 18 px, and every visible control is at least 60 × 60 px.
 */
export async function elderSizeProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && r.bottom > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!ownText || !visible(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 18) problems.push(`text ${size}px: ${describe(el)}`);
    }
    for (const el of Array.from(document.body.querySelectorAll('a[href], button, select, input, textarea, summary, [role="button"]'))) {
      if (!visible(el)) continue;
      // A checkbox's touch target is its whole label.
      const target = el.tagName === 'INPUT' && el.closest('label') ? el.closest('label')! : el;
      const r = target.getBoundingClientRect();
      if (r.width < 60 || r.height < 60) problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)}: ${describe(el)}`);
    }
    return problems;
  });
}

/** A fresh mainland mobile number for this test run. */
export function freshMobile(): string {
  return '139' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
}

/** A valid 18-digit resident ID (GB 11643 check digit) for a birth date YYYYMMDD. */
export function residentId(birth: string): string {
  // Tests register in parallel: a random district of 济南 as well as a random sequence keeps
  // two of them from drawing the same number (900 sequences alone collided now and then).
  const regions = ['370102', '370103', '370104', '370105', '370112', '370113', '370114', '370115', '370116', '370117', '370124', '370126', '370181'];
  const region = regions[Math.floor(Math.random() * regions.length)];
  // Sequences 980–999 are the bureau simulator's uninsured and lost-card people: not drawn.
  const first17 = `${region}${birth}${String(Math.floor(Math.random() * 880) + 100)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The latest code the SMS simulator "sent" to a number (development endpoint). */
export async function lastCode(page: Page, mobile: string): Promise<string> {
  const res = await page.request.get(`/dev/sms?mobile=${mobile}`);
  expect(res.status()).toBe(200);
  const messages = await res.json();
  const match = /验证码 (\d{6})/.exec(messages[0].body);
  expect(match, messages[0].body).not.toBeNull();
  return match![1];
}

/**
 * Registers a new customer through the pages; leaves the browser signed in on /account.
 * Returns the resident ID registered with.
 */
export async function registerThroughPages(page: Page, mobile: string, birth = '19800101', bank = '章丘农商银行'): Promise<string> {
  const id = residentId(birth);
  await page.goto('/register');
  await page.getByLabel('手机号').fill(mobile);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page).toHaveURL(/\/register\/details/);
  await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
  await page.getByLabel('姓名').fill('王小明');
  await page.getByLabel('身份证号码').fill(id);
  await page.getByLabel('开户的农商银行').selectOption({ label: bank });
  await page.getByLabel('设置登录密码').fill('abc12345x');
  await page.getByLabel('再输一次登录密码').fill('abc12345x');
  await page.getByText('我已阅读并同意').click();
  await page.getByRole('button', { name: '同意协议并注册' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('profile')).toContainText(mobile.slice(0, 3) + '****' + mobile.slice(7));
  return id;
}

/** Signs a demo customer in on this browser (password, then the SMS code: a new browser). */
export async function signInDemo(page: Page, mobile: string, edition: Slug) {
  await page.goto(`/login?edition=${edition}`);
  await page.getByLabel('手机号').fill(mobile);
  await page.getByLabel('登录密码').fill('demo2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/login\/verify/);
  await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
  await page.getByRole('button', { name: '验证并登录' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/**
 * Chromium's virtual platform authenticator on this page (CDP WebAuthn domain): a phone's
 * fingerprint or face sensor that holds discoverable credentials and always verifies the user.
 */
export async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Adds a passkey from 我的 → 指纹/面容登录 (SMS code first); the page must be signed in. */
export async function addPasskey(page: Page, mobile: string) {
  await page.goto('/account/passkeys');
  await hydrated(page);
  await sendCodeWhenAllowed(page, page.getByTestId('passkey-send-code'));
  // The code field appears once the code has gone out: only then is it the newest SMS.
  await expect(page.getByTestId('passkey-confirm-code')).toBeVisible();
  await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
  await page.getByTestId('passkey-confirm-code').click();
  await page.getByTestId('passkey-create').click();
  await expect(page.getByTestId('passkeys').locator('li')).toHaveCount(1);
}

/**
 * Presses a "send the code" button; when the SMS limit says a code went to this number less
 * than a minute ago (another flow's), waits the seconds it names and presses again, as a
 * customer would.
 */
export async function sendCodeWhenAllowed(page: Page, button: Locator) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await button.click();
    const wait = page.getByText(/(\d+) 秒后可以重新获取/);
    const sent = page.getByText('验证码已发送。');
    await expect(wait.or(sent).first()).toBeVisible();
    if (await sent.isVisible()) return;
    await waitOutTheSmsMinute(page, wait);
  }
  throw new Error('the code was never sent');
}

/**
 * Waits the seconds the SMS limit names ("N 秒后可以重新获取": a code went to this number less
 * than a minute ago, from another flow), as a customer would, with the test's time budget
 * extended by as much; then stays signed in if the short idle timeout warned meanwhile.
 */
export async function waitOutTheSmsMinute(page: Page, wait: Locator) {
  const seconds = Number(/(\d+) 秒后/.exec((await wait.first().textContent()) ?? '')?.[1] ?? '60');
  test.info().setTimeout(test.info().timeout + (seconds + 5) * 1000);
  await page.waitForTimeout((seconds + 1) * 1000);
  const stay = page.getByRole('button', { name: '继续使用' });
  if (await stay.isVisible()) await stay.click();
}

// ---- The operators' console ----

/** The demo staff's password and authenticator secret (README). */
export const DEMO_PASSWORD = 'ops-demo-2026';
export const DEMO_SECRET = 'DEMOOPSSECRET234DEMOOPSSECRET234';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=-]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: the authenticator app's code, `offset` 30-second steps from now. */
export function totp(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[at] & 0x7f) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * Signs in through the console's form. A code works once: if this login already used the
 * current step's code (another test moments ago), the next step's code is also accepted.
 */
export async function signIn(page: Page, login: string, password: string, secret: string, landing: RegExp) {
  await page.goto('/ops/login');
  for (const offset of [0, 1]) {
    await page.getByLabel('工号').fill(login);
    await page.getByLabel('登录密码').fill(password);
    await page.getByLabel(/动态口令/).fill(totp(secret, offset));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const outcome = await Promise.race([
      page.waitForURL(landing).then(() => 'in'),
      page.getByRole('alert').waitFor().then(() => 'refused'),
    ]);
    if (outcome === 'in') return;
  }
  throw new Error(`${login} could not sign in`);
}
