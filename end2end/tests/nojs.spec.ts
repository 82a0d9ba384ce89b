import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EDITIONS, elderSizeProblems, expectAccessible, freshMobile, hydrated, lastCode, registerThroughPages, screenshot, signInDemo } from './helpers';

// Every flow here runs in a browser that runs no script: each step is a link or a plain form
// post, as on an old phone or with JavaScript turned off.

async function plainBrowser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

/** The first account's balance on /accounts, in fen. */
async function balanceFen(page: Page): Promise<number> {
  await page.goto('/accounts');
  const text = (await page.getByTestId('balance').first().textContent()) ?? '';
  const digits = text.replace(/[^\d.]/g, '');
  expect(digits, text).toMatch(/^\d+\.\d\d$/);
  return Math.round(Number(digits) * 100);
}

/** Types a payee by hand on /transfer and goes to the confirm step. */
async function typeTransfer(page: Page, to: string, name: string, amount: string, memo: string) {
  await page.goto('/transfer');
  await page.getByLabel('收款卡号或手机号').fill(to);
  await page.getByLabel('收款人姓名（转到他行时必填）').fill(name);
  await page.getByLabel('金额（元）').fill(amount);
  await page.getByLabel('附言').fill(memo);
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page).toHaveURL(/\/transfer\/confirm/);
}

// The demo customer 赵永刚 (development mode only, see README): wages in, cash out, no saved
// payees, and used by no other test, so what his money does here is all that happens to it.
test.describe.serial('without JavaScript: 赵永刚 pays and saves by hand', () => {
  const mobile = '13800000003';
  let context: BrowserContext;
  let page: Page;
  // A receipt of his, for the accessibility sweep at the end.
  let receiptPath = '';

  test.beforeAll(async ({ browser }) => {
    ({ context, page } = await plainBrowser(browser));
    await signInDemo(page, mobile, 'city');
  });
  test.afterAll(async () => context.close());

  test('a transfer of ¥2,500 needs the SMS code: a wrong one moves nothing, the right one sends it', async () => {
    const before = await balanceFen(page);
    await typeTransfer(page, '6228480037001819202', '陈静', '2500', '无脚本验证码');
    await expect(page.getByTestId('confirm-amount')).toHaveText('¥2,500.00');
    await expect(page.getByTestId('code-needed')).toBeVisible();
    await expect(page.getByTestId('code-sent-to')).toHaveCount(0);
    // The page itself says the code went out (no script to show it in place).
    await page.getByTestId('send-code').click();
    await expect(page).toHaveURL(/\/transfer\/confirm/);
    await expect(page.getByTestId('code-sent-to')).toContainText('138****0003');
    const code = await lastCode(page, mobile);
    const sms = (await (await page.request.get(`/dev/sms?mobile=${mobile}`)).json())[0].body as string;
    expect(sms).toContain('¥2,500.00');
    expect(sms).toContain('陈*');
    // A wrong code: refused, and no money moved.
    await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('confirm-send').click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page).toHaveURL(/\/transfer\/confirm/);
    expect(await balanceFen(page)).toBe(before);
    // The right code sends it once.
    await page.goto('/transfer/confirm');
    await page.getByLabel('短信验证码').fill(code);
    await page.getByTestId('confirm-send').click();
    await expect(page).toHaveURL(/\/receipts\//);
    await expect(page.getByTestId('receipt-status')).toHaveText('处理中（跨行清算）');
    await screenshot(page, 'city-receipt-code-nojs');
    expect(await balanceFen(page)).toBe(before - 250_000);
  });

  test('to another bank: pending, then settled, seen by reloading', async () => {
    const before = await balanceFen(page);
    await typeTransfer(page, '6217990041012500633', '赵磊', '88.00', '无脚本跨行');
    await expect(page.getByTestId('code-needed')).toHaveCount(0);
    await page.getByTestId('confirm-send').click();
    await expect(page).toHaveURL(/\/receipts\//);
    await expect(page.getByTestId('receipt-status')).toHaveText('处理中（跨行清算）');
    const receipt = page.url();
    receiptPath = new URL(receipt).pathname;
    await expect(async () => {
      await page.goto(receipt);
      await expect(page.getByTestId('receipt-status')).toHaveText('对方银行已入账', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    expect(await balanceFen(page)).toBe(before - 8_800);
    await page.goto('/inbox');
    await expect(page.getByTestId('inbox')).toContainText('无脚本跨行');
    // The message centre's kinds are links and its consents a plain form post.
    await page.getByTestId('inbox-kinds').getByRole('link', { name: '动账通知' }).click();
    await expect(page).toHaveURL(/\/inbox\?kind=movement$/);
    await expect(page.getByTestId('inbox')).toContainText('无脚本跨行');
    await expect(page.getByTestId('consent-marketing')).not.toBeChecked();
    await expect(page.getByTestId('consent-news')).toBeChecked();
    await page.getByTestId('consent-news').uncheck();
    await page.getByTestId('consent-save').click();
    await expect(page).toHaveURL(/\/inbox/);
    await expect(page.getByTestId('consent-news')).not.toBeChecked();
    await page.getByTestId('consent-news').check();
    await page.getByTestId('consent-save').click();
    await expect(page.getByTestId('consent-news')).toBeChecked();
  });

  test('a 3-month deposit opened in the simple edition and withdrawn early, the money back', async () => {
    const before = await balanceFen(page);
    await page.goto('/deposits?edition=city-simple');
    await expect(page.getByTestId('deposit')).toHaveCount(0);
    await page.getByTestId('deposit-product').selectOption('M3');
    await page.getByLabel('金额（元）').fill('1000');
    await page.getByText('到期自动转存').click();
    await page.getByRole('button', { name: '确认存入' }).click();
    await expect(page).toHaveURL(/\/deposits/);
    const held = page.getByTestId('deposit').filter({ hasText: '3个月整存整取' });
    await expect(held).toHaveCount(1);
    await expect(held).toContainText('¥1,000.00');
    await expect(held).toContainText('持有中');
    expect(await elderSizeProblems(page)).toEqual([]);
    await screenshot(page, 'city-simple-deposit-nojs');
    expect(await balanceFen(page)).toBe(before - 100_000);
    // Early withdrawal: only after saying the interest falls to the demand rate.
    await page.goto('/deposits');
    await held.getByText('我知道提前支取').click();
    await held.getByRole('button', { name: '提前支取' }).click();
    await expect(page.getByTestId('deposit').filter({ hasText: '3个月整存整取' })).toContainText('已支取');
    // Withdrawn the day it was opened: the principal back, no interest for no days.
    expect(await balanceFen(page)).toBe(before);
    await page.goto('/?edition=city');
  });

  test('history filters: wages by the payer, cash by the amount, today by the date', async () => {
    await page.goto('/accounts');
    await page.getByRole('link', { name: '交易明细' }).first().click();
    await expect(page).toHaveURL(/\/accounts\/[^/?]+$/);
    const history = page.url();
    const rows = page.getByTestId('movements').locator(':scope > li');

    // Nothing went out to the employer: money out from 劳务 finds nothing, money in six wages.
    await page.getByText('筛选', { exact: true }).click();
    await page.getByLabel('对方户名或卡号尾号').fill('劳务');
    await page.getByLabel('收支').selectOption({ label: '支出' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(/dir=out/);
    await expect(page.getByText('没有符合条件的交易。')).toBeVisible();
    await expect(rows).toHaveCount(0);
    await page.getByLabel('收支').selectOption({ label: '收入' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(/dir=in/);
    await expect(rows).toHaveCount(6);
    for (const row of await rows.all()) {
      await expect(row).toContainText('济南城建劳务有限公司');
      await expect(row).toContainText('代发工资');
    }

    // ¥1,500 exactly, money out: the six cash withdrawals and nothing else.
    await page.goto(history);
    await page.getByText('筛选', { exact: true }).click();
    await page.getByLabel('最小金额（元）').fill('1500');
    await page.getByLabel('最大金额（元）').fill('1500');
    await page.getByLabel('收支').selectOption({ label: '支出' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect(rows).toHaveCount(6);
    for (const row of await rows.all()) await expect(row).toContainText('ATM取款');

    // From today: only what this browser did (two transfers, a deposit in and out).
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.goto(history);
    await page.getByText('筛选', { exact: true }).click();
    await page.getByLabel('开始日期').fill(today);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(new RegExp(`from=${today}`));
    await expect(rows).toHaveCount(4);
    await expect(page.getByTestId('movements')).toContainText('无脚本跨行');
    await expect(page.getByTestId('movements')).not.toContainText('代发工资');
  });

  // axe (WCAG 2.0/2.1/2.2 A and AA, and 7:1 contrast in the large-type editions) on every route
  // of the router, signed in, at a phone's width, in each edition: his browser's session in one
  // that runs scripts, every page hydrated first.
  for (const edition of EDITIONS) {
    test(`every route passes axe signed in, in ${edition.slug}`, async ({ browser }) => {
      test.setTimeout(180_000);
      const withScript = await browser.newContext();
      await withScript.addCookies(await context.cookies());
      const sweep = await withScript.newPage();
      await sweep.goto(`/accounts?edition=${edition.slug}`);
      const accountPath = (await sweep.getByRole('link', { name: '交易明细' }).first().getAttribute('href'))!;
      // Signed in, the home shows his money in this edition's own layout.
      await sweep.goto('/');
      await hydrated(sweep);
      const summary = sweep.getByTestId(edition.simple ? 'home-summary' : 'home-accounts');
      await expect(summary).toContainText('工资卡');
      await expect(summary.getByTestId('balance').first()).toHaveText(/^¥[\d,]+\.\d\d$/);
      if (!edition.simple) await expect(sweep.getByTestId('home-unread')).toHaveText(/新通知/);
      await screenshot(sweep, `${edition.slug}-home-signed-in`);
      // A bill payment of his: a ¥50 top-up of his own number (paid once, found after).
      await sweep.goto('/bills/history');
      await hydrated(sweep);
      const paid = sweep.locator('[data-testid="bill-payments"] a');
      let paymentPath = (await paid.count()) > 0 ? await paid.first().getAttribute('href') : null;
      if (!paymentPath) {
        await sweep.goto(`/bills/mobile?number=${mobile}`);
        await sweep.getByLabel('¥50.00').check();
        await sweep.getByTestId('bill-pay').click();
        await expect(sweep.getByTestId('bill-status')).toHaveText('缴费成功');
        paymentPath = new URL(sweep.url()).pathname;
      }
      const params: Record<string, string> = {
        '/accounts/:id': accountPath,
        '/receipts/:id': receiptPath,
        '/bills/payments/:id': paymentPath!,
        '/bills/:kind': '/bills/electricity',
        // No item is meant for him here, and he is no staff member: the answers to those.
        '/news/:id': '/news/0',
        '/ops/content/:id': '/ops/content/0',
        '/feedback/:id': '/feedback/0',
        '/ops/feedback/:id': '/ops/feedback/0',
        // He has no loan: the answer to someone else's or a made-up one.
        '/loans/:id': '/loans/0',
        '/loans/guarantees/:id': '/loans/guarantees/0',
      };
      const shell = fs.readFileSync(path.resolve(__dirname, '../../app/src/shell.rs'), 'utf8');
      const routes = [...shell.matchAll(/path=path!\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(routes.length).toBeGreaterThan(25);
      for (const route of routes) {
        const target = route.includes(':') ? params[route] : route;
        expect(target, `no page to visit for ${route}`).toBeTruthy();
        await sweep.goto(target);
        await hydrated(sweep);
        await test.step(`${edition.slug} ${route}`, () => expectAccessible(sweep, edition.simple));
      }
      await withScript.close();
    });
  }
});

test.describe('without JavaScript: a new customer', () => {
  test('opens a class II account online, then signs out on every device at once', async ({ browser }) => {
    // Two browsers and three SMS steps.
    test.setTimeout(60_000);
    const { context, page } = await plainBrowser(browser);
    const mobile = freshMobile();
    await page.goto('/?edition=rural');
    await registerThroughPages(page, mobile);

    await page.goto('/accounts');
    await expect(page.getByTestId('accounts').locator(':scope > li')).toHaveCount(0);
    // The post comes back to the list, where the new account now stands.
    await page.getByRole('button', { name: '开立Ⅱ类户' }).click();
    await expect(page).toHaveURL(/\/accounts\??$/);
    const accounts = page.getByTestId('accounts').locator(':scope > li');
    await expect(accounts).toHaveCount(1);
    // A class II account: its badge, and its limits (¥10,000 a payment), not a class I's.
    await expect(accounts.first().locator('.badge')).toHaveText('Ⅱ类户');
    await expect(accounts.first()).toContainText('每笔限额 ¥10,000.00');
    await expect(accounts.first().getByTestId('balance')).toHaveText('¥0.00');
    await screenshot(page, 'rural-class-two-opened-nojs');

    // A second browser signs in too: password, then its own code.
    const second = await plainBrowser(browser);
    await second.page.goto('/login');
    await second.page.getByLabel('手机号').fill(mobile);
    await second.page.getByLabel('登录密码').fill('abc12345x');
    await second.page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(second.page).toHaveURL(/\/login\/verify/);
    await second.page.getByLabel('短信验证码').fill(await lastCode(second.page, mobile));
    await second.page.getByRole('button', { name: '验证并登录' }).click();
    await expect(second.page).toHaveURL(/\/account$/);

    // 退出所有设备 from the first's device list, where the second is listed: both are signed out.
    await page.goto('/account/devices');
    await expect(page.locator('li[data-current="false"]')).toHaveCount(1);
    await page.getByRole('button', { name: '退出所有设备' }).click();
    await page.goto('/accounts');
    await expect(page.getByText('请先登录手机银行')).toBeVisible();
    await second.page.goto('/accounts');
    await expect(second.page.getByText('请先登录手机银行')).toBeVisible();
    await second.context.close();
    await context.close();
  });
});
