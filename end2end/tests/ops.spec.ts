import { Browser, expect, Page, test } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_SECRET, expectAccessible, freshMobile, hydrated, registerThroughPages, screenshot, signIn, totp } from './helpers';

// The operators' console: its own sign-in (login, password, authenticator code), the
// overview, staff administration with credentials shown once, the forced password change,
// every form also as a plain post without JavaScript. Desktop-first: a desktop viewport.
test.use({ viewport: { width: 1280, height: 900 } });

test('a bank administrator adds a member, who signs in with the issued credentials and sets a password', async ({ browser, page }) => {
  await page.goto('/ops/login');
  await expect(page.getByRole('heading', { name: '运营管理平台登录' })).toBeVisible();
  // The customer's chrome is not there: no bottom navigation, no read-aloud.
  await expect(page.locator('nav.app-nav')).toHaveCount(0);
  await expectAccessible(page, false);
  await screenshot(page, 'ops-sign-in');

  // One answer for a wrong code, as for a wrong password.
  await page.getByLabel('工号').fill('b001.admin');
  await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
  await page.getByLabel(/动态口令/).fill('000000' === totp(DEMO_SECRET) ? '111111' : '000000');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('工号、密码或动态口令不正确');

  await signIn(page, 'b001.admin', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await expect(page.getByTestId('console-institution')).toHaveText('济南农商银行');
  await expect(page.getByTestId('console-roles')).toHaveText('系统管理员');
  await expectAccessible(page, false);
  await screenshot(page, 'ops-overview');

  await page.getByRole('link', { name: '人员管理' }).first().click();
  await expect(page).toHaveURL(/\/ops\/staff$/);
  const list = page.getByTestId('staff-list');
  await expect(list.locator('tbody tr')).not.toHaveCount(0);
  // Only this bank's people.
  for (const login of await list.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-login')))) {
    expect(login).toMatch(/^b001\./);
  }
  await expectAccessible(page, false);
  await screenshot(page, 'ops-staff');

  const login = `b001.t${Date.now() % 1_000_000}`;
  await page.getByLabel('工号').fill(login);
  await page.getByLabel('姓名').fill('赵敏');
  await page.getByLabel('内容编辑').check();
  await page.getByRole('button', { name: '新增并发放登录信息' }).click();
  await expect(page).toHaveURL(/\/ops\/staff\/issued$/);
  const issued = page.getByTestId('issued');
  await expect(page.getByTestId('issued-login')).toHaveText(login);
  const password = (await page.getByTestId('issued-password').textContent())!;
  const secret = (await page.getByTestId('issued-secret').textContent())!;
  await expect(issued.locator('svg')).toBeVisible();
  await expectAccessible(page, false);
  await screenshot(page, 'ops-issued');
  // Shown once: loaded again, nothing.
  await page.reload();
  await expect(page.getByTestId('issued')).toHaveCount(0);
  await expect(page.getByText('它只显示一次')).toBeVisible();

  // The new member, in another browser: the issued password must be replaced first.
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const member = await other.newPage();
  await signIn(member, login, password, secret, /\/ops\/password$/);
  await expect(member.getByText('请先设置自己的密码')).toBeVisible();
  await expect(member.getByRole('link', { name: '人员管理' })).toHaveCount(0);
  await expectAccessible(member, false);
  await member.getByLabel('当前密码').fill(password);
  await member.getByLabel('新密码', { exact: true }).fill('Own-pass-2026');
  await member.getByLabel('再输一次新密码').fill('Own-pass-2026');
  await member.getByRole('button', { name: '保存新密码' }).click();
  await expect(member).toHaveURL(/\/ops$/);
  await expect(member.getByTestId('console-roles')).toHaveText('内容编辑');
  // An editor manages no staff: the section is not offered, and asking for it is refused.
  await expect(member.getByRole('link', { name: '人员管理' })).toHaveCount(0);
  await member.goto('/ops/staff');
  await expect(member.getByRole('alert')).toContainText('没有这项权限');
  await other.close();

  // The administrator disables the member; signing out ends the console session.
  await page.goto('/ops/staff');
  await page.locator(`tr[data-login="${login}"]`).getByRole('button', { name: '停用' }).click();
  await expect(page.locator(`tr[data-login="${login}"]`)).toContainText('已停用');
  await page.getByTestId('ops-sign-out').click();
  await expect(page).toHaveURL(/\/ops\/login$/);
  await page.goto('/ops');
  await expect(page.getByText('请先登录运营管理平台')).toBeVisible();
});

test('a customer session opens no console page, and the console shows no customer chrome', async ({ page }) => {
  await page.goto('/ops/staff');
  await expect(page.getByText('请先登录运营管理平台')).toBeVisible();
  await expect(page.locator('nav.app-nav')).toHaveCount(0);
});

/** A Beijing calendar day, `days` from today, as a date input takes it. */
function beijingDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test('a bank schedules a rate: its customers see it from its effective day, and the band holds', async ({ browser, page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'b002.approver', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await page.getByRole('link', { name: '产品与利率' }).first().click();
  await expect(page).toHaveURL(/\/ops\/products$/);
  const y5 = page.locator('tr[data-code="Y5"]');
  await expect(y5.getByTestId('rate-now')).toHaveText('2.00%');
  await expect(y5).toContainText('1.60% – 2.40%');
  await expectAccessible(page, false);

  // Outside the province's band: refused with the band.
  await y5.getByLabel('年利率（%）').fill('2.50');
  await y5.getByRole('button', { name: /安排调整/ }).click();
  await expect(page.getByRole('alert')).toContainText('1.60% 至 2.40%');
  // From today, and another from tomorrow.
  await y5.getByLabel('年利率（%）').fill('2.35');
  await y5.getByRole('button', { name: /安排调整/ }).click();
  await expect(y5.getByTestId('rate-now')).toHaveText('2.35%');
  await y5.getByLabel('年利率（%）').fill('2.10');
  await y5.getByLabel('生效日期').fill(beijingDay(1));
  await y5.getByRole('button', { name: /安排调整/ }).click();
  await expect(y5.getByTestId('upcoming-rate')).toContainText(`${beijingDay(1)} 2.10%`);
  await expect(y5.getByTestId('rate-now')).toHaveText('2.35%');
  await screenshot(page, 'ops-products');

  // A customer of the bank, in the rural simple edition: today's rate, not tomorrow's.
  const other = await browser.newContext();
  const customer = await other.newPage();
  await registerThroughPages(customer, freshMobile());
  await customer.goto('/deposits?edition=rural-simple');
  const row = customer.locator('table.rates tr').filter({ hasText: '5年期整存整取' });
  await expect(row).toContainText('2.35%');
  await expect(customer.locator('table.rates')).not.toContainText('2.10%');
  await expect(customer.getByTestId('deposit-product')).toContainText('5年期整存整取 · 2.35%');
  await screenshot(customer, 'rural-simple-deposits-bank-rate');
  await other.close();

  // Tomorrow's rate withdrawn before it takes effect.
  await y5.getByRole('button', { name: '撤销' }).click();
  await expect(y5.getByTestId('upcoming-rate')).toHaveCount(0);
});

test('an editor drafts without JavaScript, another approves; the bank’s customers see it as targeted', async ({ browser, page }) => {
  // Four browsers, two registrations and axe on three pages.
  test.setTimeout(150_000);
  const stamp = Date.now() % 1_000_000;
  const campaign = `春耕贷款季 ${stamp}`;
  const news = `网点春节营业安排 ${stamp}`;
  // The editor, as plain form posts.
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const editor = await plain.newPage();
  await signIn(editor, 'b002.editor', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await editor.getByRole('link', { name: '资讯与活动' }).first().click();
  await expect(editor).toHaveURL(/\/ops\/content$/);
  const draft = async (kind: string, title: string, body: string, editions: string[]) => {
    await editor.goto('/ops/content');
    await editor.getByLabel('类型').selectOption({ label: kind });
    await editor.getByLabel('标题').fill(title);
    await editor.getByLabel(/^正文/).fill(body);
    for (const e of editions) await editor.getByLabel(e, { exact: true }).check();
    await editor.getByLabel('开始日期').fill(beijingDay(0));
    await editor.getByLabel('结束日期').fill(beijingDay(7));
    await editor.getByRole('button', { name: '保存草稿' }).click();
    await expect(editor).toHaveURL(/\/ops\/content\/[0-9a-f-]+$/);
    await expect(editor.getByTestId('content-status')).toHaveText('草稿');
    await editor.getByRole('button', { name: '提交审核' }).click();
    await expect(editor.getByTestId('content-status')).toHaveText('待审核');
    // The one who drafted it has no publish button.
    await expect(editor.getByRole('button', { name: '审核通过并发布' })).toHaveCount(0);
    return editor.url();
  };
  const campaignUrl = await draft('活动', campaign, '**春耕贷款** 年化利率 3.85% 起，<script>alert(1)</script>', ['乡村智慧版', '乡村简约版']);
  await expect(editor.getByTestId('content-preview')).toContainText('<script>alert(1)</script>');
  await expect(editor.getByTestId('content-preview').locator('strong')).toHaveText('春耕贷款');
  await screenshot(editor, 'ops-content-nojs');
  const newsUrl = await draft('资讯', news, '春节期间各网点营业时间另行公告。', []);
  await plain.close();

  // The approver publishes both.
  await signIn(page, 'b002.approver', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  for (const url of [campaignUrl, newsUrl]) {
    await page.goto(new URL(url).pathname);
    await page.getByRole('button', { name: '审核通过并发布' }).click();
    await expect(page.getByTestId('content-status')).toHaveText('已发布');
  }
  await expectAccessible(page, false);
  await screenshot(page, 'ops-content-published');
  // The list with the new-item form (axe runs where scripts do).
  await page.goto('/ops/content');
  await expect(page.getByTestId('content-list')).toContainText(campaign);
  await expectAccessible(page, false);
  await screenshot(page, 'ops-content-list');

  // A customer of the bank: the campaign as a banner in the rural edition, the news too.
  const farmerContext = await browser.newContext();
  const farmer = await farmerContext.newPage();
  await registerThroughPages(farmer, freshMobile());
  await farmer.goto('/?edition=rural');
  await expect(farmer.getByTestId('home-banner')).toContainText(campaign);
  await expect(farmer.getByTestId('news-item').filter({ hasText: news })).toHaveCount(1);
  await screenshot(farmer, 'rural-home-news');
  await farmer.getByTestId('home-banner').click();
  await expect(farmer.getByTestId('news-article')).toContainText('年化利率 3.85% 起');
  await expect(farmer.getByTestId('news-article')).toContainText('<script>');
  // The rural simple edition: the news, never a banner.
  await farmer.goto('/?edition=rural-simple');
  await expect(farmer.getByTestId('news-item').filter({ hasText: news })).toHaveCount(1);
  await expect(farmer.getByTestId('home-banner')).toHaveCount(0);
  await farmer.goto('/news');
  await expect(farmer.getByTestId('news-item').filter({ hasText: campaign })).toHaveCount(0);
  await expectAccessible(farmer, true);
  await screenshot(farmer, 'rural-simple-news');
  await farmerContext.close();

  // A customer of another bank sees neither.
  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  await registerThroughPages(city, freshMobile(), '19800101', '济南农商银行');
  await city.goto('/news?edition=rural');
  await expect(city.getByText(news)).toHaveCount(0);
  await expect(city.getByText(campaign)).toHaveCount(0);
  await cityContext.close();
});

test('the console warns a minute before its idle timeout, and "stay signed in" extends it', async ({ page }) => {
  // The e2e server runs with STAFF_IDLE_SECS=90: the warning shows after ~30 s of quiet.
  test.setTimeout(90_000);
  await signIn(page, 'p000.admin', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await expect(page.getByTestId('console-institution')).toHaveText('山东农信');
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible({ timeout: 50_000 });
  await expect(warning).toContainText('秒后将自动退出登录');
  // Staff hold no money here: the reason is security, not "your money".
  await expect(warning).toContainText('为了安全');
  await expectAccessible(page, false);
  await screenshot(page, 'ops-idle-warning');
  await warning.getByRole('button', { name: '继续使用' }).click();
  await expect(warning).toBeHidden();
  await page.goto('/ops/staff');
  await expect(page.getByTestId('staff-list')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sign-in, staff list, disabling and enabling are plain form posts', async ({ page }) => {
    await signIn(page, 'b002.admin', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
    await expect(page.getByTestId('console-institution')).toHaveText('章丘农商银行');
    await page.goto('/ops/staff');
    await expect(page.locator('tbody tr[data-login^="b001."]')).toHaveCount(0);
    // A member of its own (the demo staff work in other tests meanwhile), disabled and enabled.
    const login = `b002.n${Date.now() % 1_000_000}`;
    await page.getByLabel('工号').fill(login);
    await page.getByLabel('姓名').fill('赵敏');
    await page.getByLabel('客户服务').check();
    await page.getByRole('button', { name: '新增并发放登录信息' }).click();
    await expect(page).toHaveURL(/\/ops\/staff\/issued$/);
    await expect(page.getByTestId('issued-login')).toHaveText(login);
    await page.goto('/ops/staff');
    const row = page.locator(`tr[data-login="${login}"]`);
    await expect(row).toContainText('正常');
    await row.getByRole('button', { name: '停用' }).click();
    await expect(page.locator(`tr[data-login="${login}"]`)).toContainText('已停用');
    await page.locator(`tr[data-login="${login}"]`).getByRole('button', { name: '启用' }).click();
    await expect(page.locator(`tr[data-login="${login}"]`)).toContainText('正常');
    // A taken login is refused with the reason, on the form's page.
    await page.getByLabel('工号').fill('b002.editor');
    await page.getByLabel('姓名').fill('赵敏');
    await page.getByLabel('客户服务').check();
    await page.getByRole('button', { name: '新增并发放登录信息' }).click();
    await expect(page.getByRole('alert')).toContainText('这个工号已有人使用');
    await screenshot(page, 'ops-staff-nojs');
    await page.getByTestId('ops-sign-out').click();
    await expect(page).toHaveURL(/\/ops\/login$/);
  });

  test('a local product added and the union’s band changed, as plain form posts', async ({ browser, page }) => {
    test.setTimeout(90_000);
    await signIn(page, 'b001.approver', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
    await page.goto('/ops/products');
    await page.getByLabel('产品名称（中文）').fill('丰收一年定期');
    await page.getByLabel('产品名称（英文）').fill('Harvest 1-year deposit');
    await page.getByLabel('期限与品种（同全省目录）').selectOption('Y1');
    await page.getByLabel('起存金额（元）').fill('1000');
    await page.getByLabel('年利率（%）', { exact: true }).last().fill('1.80');
    await page.getByRole('button', { name: '新增产品' }).click();
    const local = page.locator('tr[data-code^="B001-"]');
    await expect(local).toContainText('丰收一年定期');
    await expect(local).toContainText('本行特色');
    await expect(local.getByTestId('rate-now')).toHaveText('1.80%');
    // The loan products on the same sheet: 保证e贷 at the catalogue's rate, a new one scheduled
    // on a later day within the band; one outside it refused with the band.
    const bzed = () => page.getByTestId('loan-rate-sheet').locator('tr[data-code="BZED"]');
    await expect(bzed().getByTestId('rate-now')).toHaveText('5.80%');
    await bzed().getByLabel('年利率（%）').fill('12');
    await bzed().getByRole('button', { name: /安排调整/ }).click();
    await expect(page.getByRole('alert')).toContainText('10.00%');
    const later = new Date(Date.now() + (30 + Math.floor(Math.random() * 300)) * 86_400_000).toISOString().slice(0, 10);
    await bzed().getByLabel('年利率（%）').fill('5.20');
    await bzed().getByLabel('生效日期').fill(later);
    await bzed().getByRole('button', { name: /安排调整/ }).click();
    await expect(bzed().getByTestId('upcoming-rate')).toContainText(`${later} 5.20%`);
    await page.getByTestId('ops-sign-out').click();

    // The union's product manager sees bands, not a bank's rates or local products.
    await signIn(page, 'p000.approver', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
    await page.goto('/ops/products');
    await expect(page.locator('tr[data-code^="B001-"]')).toHaveCount(0);
    const cd3 = page.locator('tr[data-code="CD3"]');
    await cd3.getByLabel('上限（%）').fill('2.60');
    await cd3.getByRole('button', { name: /保存区间/ }).click();
    await expect(page.locator('tr[data-code="CD3"]')).toContainText('1.75% – 2.60%');
    // A floor above the default is refused with the rule.
    await page.locator('tr[data-code="CD3"]').getByLabel('下限（%）').fill('2.50');
    await page.locator('tr[data-code="CD3"]').getByRole('button', { name: /保存区间/ }).click();
    await expect(page.getByRole('alert')).toContainText('下限不高于默认利率');
    await screenshot(page, 'ops-products-union-nojs');
    // The union's sheet through axe, in a browser that runs scripts (the same session).
    const withScript = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
    await withScript.addCookies(await page.context().cookies());
    const sheet = await withScript.newPage();
    await sheet.goto('/ops/products');
    await expect(sheet.locator('tr[data-code="CD3"]')).toContainText('1.75% – 2.60%');
    await expectAccessible(sheet, false);
    await withScript.close();
  });
});

test('a pushed campaign arrives live in the rural edition, never in the simple one nor at another bank', async ({ browser, page }) => {
  // Three customers, two staff, a delivery by the worker.
  test.setTimeout(150_000);
  const stamp = Date.now() % 1_000_000;
  const campaign = `秋收助农贷 ${stamp}`;
  // Each customer allows offers in the message centre, in their edition, and stays there.
  const customer = async (edition: string, bank?: string) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    if (bank) await registerThroughPages(p, freshMobile(), '19800101', bank);
    else await registerThroughPages(p, freshMobile());
    await p.goto(`/?edition=${edition}`);
    await p.goto('/inbox');
    await hydrated(p);
    await p.getByTestId('consent-marketing').check();
    await p.getByTestId('consent-save').click();
    await expect(p.getByText('已保存。')).toBeVisible();
    // Home, with nothing unread; once the live stream has answered, what comes from now on
    // arrives without reload.
    await p.goto('/');
    await hydrated(p);
    await expect(p.getByTestId('live-status')).toHaveAttribute('data-live', 'on');
    await expect(p.getByTestId('bell-count')).toHaveCount(0);
    await p.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    return { context, page: p };
  };
  const farmer = await customer('rural');
  const elder = await customer('rural-simple');
  const elsewhere = await customer('rural', '济南农商银行');

  // The bank's editor drafts it for the rural editions, marked for push; another approves.
  const editorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const editor = await editorContext.newPage();
  await signIn(editor, 'b002.editor', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await editor.goto('/ops/content');
  await editor.getByLabel('类型').selectOption({ label: '活动' });
  await editor.getByLabel('标题').fill(campaign);
  await editor.getByLabel(/^正文/).fill('秋收时节，**助农贷**随借随还。');
  for (const e of ['乡村智慧版', '乡村简约版']) await editor.getByLabel(e, { exact: true }).check();
  await editor.getByLabel('开始日期').fill(beijingDay(0));
  await editor.getByLabel('结束日期').fill(beijingDay(7));
  await editor.getByTestId('content-push').check();
  await editor.getByRole('button', { name: '保存草稿' }).click();
  await expect(editor).toHaveURL(/\/ops\/content\/[0-9a-f-]+$/);
  await editor.getByRole('button', { name: '提交审核' }).click();
  await expect(editor.getByTestId('content-status')).toHaveText('待审核');
  const itemPath = new URL(editor.url()).pathname;
  await editorContext.close();
  await signIn(page, 'b002.approver', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await page.goto(itemPath);
  await page.getByRole('button', { name: '审核通过并发布' }).click();
  await expect(page.getByTestId('content-status')).toHaveText('已发布');

  // The rural customer: the bell on the open page counts it, no reload; the message centre
  // lists it, and reading it there reads it.
  const f = farmer.page;
  await expect(f.getByTestId('bell-count')).toHaveText('1', { timeout: 20_000 });
  expect(await f.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await screenshot(f, 'rural-home-live-bell');
  await f.getByTestId('message-bell').click();
  await expect(f).toHaveURL(/\/inbox$/);
  await expect(f.getByTestId('inbox')).toContainText(campaign);
  await expect(f.getByTestId('bell-count')).toHaveCount(0);
  expect(await f.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await screenshot(f, 'rural-inbox-live-campaign');
  await f.getByTestId('inbox-kinds').getByRole('link', { name: '优惠活动' }).click();
  await expect(f).toHaveURL(/\/inbox\?kind=campaign$/);
  await expect(f.getByTestId('inbox')).toContainText(campaign);
  await expectAccessible(f, false);
  await f.getByTestId('inbox').getByRole('link', { name: '查看详情' }).first().click();
  await expect(f.getByTestId('news-article')).toContainText('随借随还');

  // Delivered to the farmer means the bank's delivery is done: the elder in the simple edition
  // and the other bank's customer, though both allowed offers, have nothing.
  for (const other of [elder, elsewhere]) {
    await other.page.goto('/inbox?kind=campaign');
    await expect(other.page.getByTestId('inbox-kinds')).toBeVisible();
    await expect(other.page.getByText(campaign)).toHaveCount(0);
  }
  await expectAccessible(elder.page, true);
  await screenshot(elder.page, 'rural-simple-inbox');
  for (const c of [farmer, elder, elsewhere]) await c.context.close();
});

test('an editor uploads a picture without JavaScript; the draft’s preview shows it as customers will see it', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'p000.editor', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await page.goto('/ops/content');
  // Not a picture: sent back with the reason.
  await page.getByTestId('image-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload=alert(1)>') });
  await page.getByTestId('image-upload').click();
  await expect(page).toHaveURL(/\/ops\/content\?image_error=not_image$/);
  await expect(page.getByRole('alert')).toContainText('只能上传 JPEG、PNG、GIF 或 WebP 图片');
  // A small PNG (3 × 2 green pixels): stored re-encoded, its Markdown shown to paste.
  const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGMQSzWBIAY4CwAoZAQbzWAihAAAAABJRU5ErkJggg==';
  await page.getByTestId('image-file').setInputFiles({ name: 'spring.png', mimeType: 'image/png', buffer: Buffer.from(pixel, 'base64') });
  await page.getByTestId('image-upload').click();
  await expect(page).toHaveURL(/\/ops\/content\?image=[0-9a-f-]+$/);
  const markdown = (await page.getByTestId('image-markdown').textContent()) ?? '';
  expect(markdown).toMatch(/^!\[图片说明\]\(\/media\/[0-9a-f-]+\)$/);
  const src = markdown.slice(markdown.indexOf('(') + 1, -1);
  const served = await page.request.get(src);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('image/jpeg');

  await page.getByLabel('标题').fill(`春耕图片 ${Date.now() % 1_000_000}`);
  await page.getByLabel(/^正文/).fill(`田间一景：\n\n${markdown}\n\n![外站图片](https://evil.example/x.png)`);
  await page.getByLabel('开始日期').fill(beijingDay(0));
  await page.getByLabel('结束日期').fill(beijingDay(7));
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page).toHaveURL(/\/ops\/content\/[0-9a-f-]+$/);
  const preview = page.getByTestId('content-preview');
  await expect(preview.locator('img')).toHaveCount(1);
  await expect(preview.locator('img')).toHaveAttribute('src', src);
  await expect(preview.locator('img')).toHaveAttribute('alt', '图片说明');
  expect(await preview.innerHTML()).not.toContain('evil.example');
  expect(await preview.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(3);
  await screenshot(page, 'ops-content-picture');
  await context.close();
});

test('a credit officer opens the bank’s loan portfolio from the console', async ({ page }) => {
  await signIn(page, 'b002.credit', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await hydrated(page);
  await page.getByTestId('console-bar').getByRole('link', { name: '贷款组合' }).click();
  await expect(page).toHaveURL(/\/ops\/loans\/portfolio$/);
  const table = page.getByTestId('loan-portfolio');
  // Her own bank's row alone (what the other tests lend there comes and goes).
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody th')).toHaveText('章丘农商银行');
  await expect(table.getByTestId('portfolio-ratio')).toHaveText(/^\d+\.\d\d%$/);
  await screenshot(page, 'ops-loan-portfolio');
  await expectAccessible(page, false);
});
