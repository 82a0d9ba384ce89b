import { expect, test } from '@playwright/test';
import { expectAccessible, expectEdition, freshMobile, hydrated, lastCode, registerThroughPages, screenshot } from './helpers';

for (const edition of [
  { slug: 'city', simple: false },
  { slug: 'rural-simple', simple: true },
] as const) {
  test.describe(`identity in ${edition.slug}`, () => {
    test('register, then sign in on a new browser with the SMS code', async ({ page, browser }) => {
      // Two browsers, three SMS steps and axe on every page: longer than the default budget.
      test.setTimeout(60_000);
      await page.goto(`/?edition=${edition.slug}`);
      await hydrated(page);
      const mobile = freshMobile();
      await registerThroughPages(page, mobile);
      await expect(page.getByTestId('profile')).toContainText('王**');
      await screenshot(page, `${edition.slug}-account`);
      await expectAccessible(page, edition.simple);

      // Full details only after a step-up code; the masked view stays the default.
      await page.getByRole('link', { name: '查看完整信息' }).click();
      await page.getByRole('button', { name: '发送验证码' }).click();
      await expect(page.getByTestId('code-sent-to')).toBeVisible();
      await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
      await page.getByRole('button', { name: '验证并查看' }).click();
      await expect(page.getByTestId('revealed')).toContainText(mobile);
      await expect(page.getByTestId('revealed')).toContainText('王小明');
      await expectAccessible(page, edition.simple);

      // Another browser: password, then the code, because this browser is new.
      const other = await browser.newContext({ baseURL: page.url().replace(/\/account$/, '') });
      const laptop = await other.newPage();
      await laptop.goto(`/login?edition=${edition.slug}`);
      await hydrated(laptop);
      await expectAccessible(laptop, edition.simple);
      await laptop.getByLabel('手机号').fill(mobile);
      await laptop.getByLabel('登录密码').fill('abc12345x');
      await laptop.getByRole('button', { name: '登录', exact: true }).click();
      await expect(laptop).toHaveURL(/\/login\/verify/);
      await expect(laptop.getByTestId('code-sent-to')).toContainText(mobile.slice(0, 3) + '****');
      await expectAccessible(laptop, edition.simple);
      await screenshot(laptop, `${edition.slug}-verify`);
      // "Send it again" right away: the SMS limit answers with the wait, nothing is lost.
      await hydrated(laptop);
      await laptop.getByTestId('resend-code').click();
      await expect(laptop.getByText(/秒后可以重新获取/)).toBeVisible();
      await laptop.getByLabel('短信验证码').fill(await lastCode(laptop, mobile));
      await laptop.getByRole('button', { name: '验证并登录' }).click();
      await expect(laptop).toHaveURL(/\/account$/);
      await expect(laptop.getByTestId('profile')).toBeVisible();

      // The first browser signs the second out from "my devices".
      await page.goto('/account/devices');
      await expectAccessible(page, edition.simple);
      await screenshot(page, `${edition.slug}-devices`);
      await page.locator('li[data-current="false"]').getByRole('button', { name: '退出这台设备' }).click();
      await expect(page.locator('li[data-current="false"]')).toHaveCount(0);
      await laptop.reload();
      await expect(laptop.getByText('请先登录手机银行')).toBeVisible();
      await other.close();
    });
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('registration and sign-out work as plain form posts', async ({ page }) => {
    await page.goto('/?edition=city-simple');
    await registerThroughPages(page, freshMobile(), '19500101');
    // Over 60: the large-type edition is pre-selected.
    await expectEdition(page, 'city-simple');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.goto('/account');
    await expect(page.getByText('请先登录手机银行')).toBeVisible();
  });

  test('five wrong passwords lock the account, with tries left and how to unlock', async ({ page, browser }) => {
    const mobile = freshMobile();
    const ctx = await browser.newContext({ javaScriptEnabled: true });
    const elsewhere = await ctx.newPage();
    const id = await registerThroughPages(elsewhere, mobile);
    await page.goto('/login?edition=city');
    for (const left of [4, 3, 2, 1]) {
      await page.getByLabel('手机号').fill(mobile);
      await page.getByLabel('登录密码').fill('wrong1234');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await expect(page.getByRole('alert')).toContainText(`还可以再试 ${left} 次`);
    }
    await page.getByLabel('手机号').fill(mobile);
    await page.getByLabel('登录密码').fill('wrong1234');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('账户已暂时锁定');
    await expect(page.getByRole('alert')).toContainText('短信验证码重置密码');
    await screenshot(page, 'city-locked');

    // The way out: reset by SMS code, which unlocks at once.
    await page.getByRole('link', { name: '忘记密码 / 解锁' }).click();
    await page.getByLabel('手机号').fill(mobile);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page).toHaveURL(/\/login\/reset\/code/);
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    // A second proof besides the code: a wrong one is refused, the resident ID is accepted.
    await page.getByLabel('银行卡号后四位，或身份证号').fill('0000');
    await page.getByLabel('设置登录密码').fill('new12345y');
    await page.getByLabel('再输一次登录密码').fill('new12345y');
    await page.getByRole('button', { name: '重置密码' }).click();
    await expect(page.getByRole('alert')).toContainText('卡号后四位或身份证号不对');
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await page.getByLabel('银行卡号后四位，或身份证号').fill(id);
    await page.getByLabel('设置登录密码').fill('new12345y');
    await page.getByLabel('再输一次登录密码').fill('new12345y');
    await page.getByRole('button', { name: '重置密码' }).click();
    await expect(page.getByText('密码已重置')).toBeVisible();
    // The browser that was signed in all along is signed out by the reset.
    await elsewhere.goto('/account');
    await expect(elsewhere.getByText('请先登录手机银行')).toBeVisible();
    await ctx.close();
    await page.getByLabel('手机号').fill(mobile);
    await page.getByLabel('登录密码').fill('new12345y');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    // This browser never proved itself with a code: the code step follows.
    await expect(page).toHaveURL(/\/login\/verify/);
  });

  test('wrong passwords on a known browser make the next sign-in ask for the SMS code', async ({ page }) => {
    const mobile = freshMobile();
    await page.goto('/?edition=city');
    await registerThroughPages(page, mobile);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.goto('/login');
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('手机号').fill(mobile);
      await page.getByLabel('登录密码').fill('wrong1234');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await expect(page.getByRole('alert')).toContainText('还可以再试');
    }
    await page.getByLabel('手机号').fill(mobile);
    await page.getByLabel('登录密码').fill('abc12345x');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page).toHaveURL(/\/login\/verify/);
    const sms = (await (await page.request.get(`/dev/sms?mobile=${mobile}`)).json())[0].body as string;
    expect(sms).toContain('多次密码错误');
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await expect(page).toHaveURL(/\/account$/);
  });
});

test('a cross-site form post to a server function is refused', async ({ page, baseURL }) => {
  // A page of no origin of ours (our own pages' CSP would not even let such a form submit).
  await page.goto('about:blank');
  await page.setContent(
    `<form method="post" action="${baseURL}/api/set_edition"><input name="edition" value="rural"><button>go</button></form>`,
  );
  await page.getByRole('button', { name: 'go' }).click();
  await expect(page.getByText('Cross-site request refused')).toBeVisible();
  // …and the refused post changed nothing.
  await page.goto(`${baseURL}/settings`);
  await expect(page.locator('html')).toHaveAttribute('data-edition-chosen', 'false');
});

test('the idle warning comes a minute before the timeout and "stay signed in" extends it', async ({ page }) => {
  // The e2e server runs with SESSION_IDLE_SECS=75: the warning shows after ~15 s of quiet.
  test.setTimeout(90_000);
  await page.goto('/?edition=city-simple');
  await hydrated(page);
  await registerThroughPages(page, freshMobile());
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible({ timeout: 40_000 });
  await expect(warning).toContainText('秒后将自动退出登录');
  await screenshot(page, 'city-simple-idle-warning');
  await expectAccessible(page, true);
  await warning.getByRole('button', { name: '继续使用' }).click();
  await expect(warning).toBeHidden();
  await page.goto('/account');
  await expect(page.getByTestId('profile')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test('full details behind the step-up code, as plain form posts', async ({ page, browser, context }) => {
    const mobile = freshMobile();
    await registerThroughPages(page, mobile);
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    await nojs.addCookies(await context.cookies());
    const plain = await nojs.newPage();
    await plain.goto('/account/reveal?edition=city-simple');
    await plain.getByRole('button', { name: '发送验证码' }).click();
    await expect(plain.getByTestId('code-sent-to')).toContainText(mobile.slice(0, 3) + '****');
    await plain.getByLabel('短信验证码').fill(await lastCode(plain, mobile));
    await plain.getByRole('button', { name: '验证并查看' }).click();
    await expect(plain.getByTestId('revealed')).toContainText(mobile);
    await nojs.close();
  });
});
