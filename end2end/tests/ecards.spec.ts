import { expect, test } from '@playwright/test';
import {
  elderSizeProblems,
  expectAccessible,
  freshMobile,
  hydrated,
  lastCode,
  registerThroughPages,
  residentId,
  screenshot,
} from './helpers';

// 电子社保卡 and 医保电子凭证: sign up behind an SMS code, a signed QR code that changes every
// minute (with WASM by itself, without it by a reload), the medical account, unbinding.

test('e-social-security card from the city home: sign up, a QR that refreshes itself', async ({ page }) => {
  const mobile = freshMobile();
  await registerThroughPages(page, mobile);
  await page.goto('/?edition=city');
  await hydrated(page);
  await page.getByRole('link', { name: /电子社保卡/ }).click();
  await expect(page).toHaveURL(/\/ssc$/);
  await hydrated(page);
  await expect(page.getByTestId('bureau-simulated')).toBeVisible();
  await expectAccessible(page, false);
  // A new customer: the last code went out for registration, so this one is sent at once.
  await page.getByTestId('ecard-start').click();
  await expect(page.getByTestId('code-sent-to')).toContainText(mobile.slice(0, 3) + '****');
  // A wrong code is explained; nothing is signed up.
  await page.getByLabel('短信验证码').fill('000000');
  await page.getByRole('button', { name: '确认开通' }).click();
  await expect(page.getByRole('alert')).toContainText('验证码不正确');
  await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
  await page.getByRole('button', { name: '确认开通' }).click();
  const qr = page.getByTestId('qr');
  await expect(qr.locator('svg')).toBeVisible();
  await expect(qr).toHaveAttribute('data-code', /^SSC1\.essc\./);
  await expect(page.getByTestId('card-no')).toHaveText(/^[A-Z]\d\*{6}\d$/);
  await expect(page.getByTestId('qr-countdown')).toContainText('秒后自动更新');
  await screenshot(page, 'city-ssc');
  await expectAccessible(page, false);

  // The page's clock under the test's control: 51 seconds on, the next code is fetched (ten
  // seconds before the first expires) and replaces it without a reload.
  await page.clock.install();
  await page.goto('/ssc');
  await hydrated(page);
  const first = await qr.getAttribute('data-code');
  await page.waitForTimeout(1_100); // the server's clock moves on a second: a new code
  await page.clock.runFor(51_000);
  await expect(qr).not.toHaveAttribute('data-code', first!);
  await expect(qr).toHaveAttribute('data-code', /^SSC1\.essc\./);

  // The elder edition: the QR is one tap from the home page.
  await page.goto('/?edition=city-simple');
  await hydrated(page);
  await page.getByTestId('home-social').getByRole('link', { name: '出示社保卡二维码' }).click();
  await expect(page).toHaveURL(/\/ssc$/);
  await expect(qr.locator('svg')).toBeVisible();
  expect(await elderSizeProblems(page)).toEqual([]);
  await expectAccessible(page, true);
  await screenshot(page, 'city-simple-ssc');
  // Applying for a physical card, from the card's page, in the same edition.
  await page.getByTestId('ssc-apply-link').click();
  await expect(page).toHaveURL(/\/ssc\/apply$/);
  await hydrated(page);
  await expectAccessible(page, true);
  // The medical e-voucher before activation, in the same edition.
  await page.goto('/medical');
  await hydrated(page);
  await expect(page.getByTestId('ecard-start')).toBeVisible();
  expect(await elderSizeProblems(page)).toEqual([]);
  await expectAccessible(page, true);
});

test.describe('without JavaScript', () => {
  test('medical e-voucher in the rural simple edition: activate, QR, account, unbind', async ({ page, browser, context }) => {
    const mobile = freshMobile();
    const id = await registerThroughPages(page, mobile);
    // The bureau simulator's rule: an odd last sequence digit is employees' insurance, with a
    // personal account; an even one is residents', without.
    const employee = Number(id[16]) % 2 === 1;
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    await nojs.addCookies(await context.cookies());
    const plain = await nojs.newPage();
    await plain.goto('/?edition=rural-simple');
    await plain.getByTestId('home-social').getByRole('link', { name: '出示医保码' }).click();
    await expect(plain).toHaveURL(/\/medical$/);
    await plain.getByTestId('ecard-start').click();
    await expect(plain.getByTestId('code-sent-to')).toContainText(mobile.slice(0, 3) + '****');
    expect(await elderSizeProblems(plain)).toEqual([]);
    await plain.getByLabel('短信验证码').fill(await lastCode(plain, mobile));
    await plain.getByRole('button', { name: '确认激活' }).click();
    const qr = plain.getByTestId('qr');
    await expect(qr.locator('svg')).toBeVisible();
    await expect(qr).toHaveAttribute('data-code', /^SSC1\.medical\./);
    // No script to fetch the next code: the page reloads itself before this one expires.
    await expect(plain.locator('noscript meta[http-equiv="refresh"]')).toHaveAttribute('content', '50;url=?auto=1');
    await expect(plain.getByTestId('qr-expires')).toContainText(/\d\d:\d\d:\d\d/);
    const account = plain.getByTestId('medical-account');
    await expect(account).toContainText('参保地 济南');
    await expect(account.getByTestId(employee ? 'medical-balance' : 'medical-no-account')).toBeVisible();
    await expect(account.getByTestId(employee ? 'medical-no-account' : 'medical-balance')).toHaveCount(0);
    await expect(account.getByTestId('medical-movements').locator(':scope > li').first()).toBeVisible();
    expect(await elderSizeProblems(plain)).toEqual([]);
    await screenshot(plain, 'rural-simple-medical-nojs');
    // A new code on request, as a plain link: another code (codes carry their second, so the
    // link is followed again until the server's clock has moved on).
    const old = await qr.getAttribute('data-code');
    await expect(async () => {
      await plain.getByTestId('qr-new').click();
      expect(await qr.getAttribute('data-code')).not.toBe(old);
    }).toPass();
    await expect(qr).toHaveAttribute('data-code', /^SSC1\.medical\./);
    // Unbinding asks for a tick first, then the card is gone from this app.
    await plain.getByTestId('unbind').click();
    await expect(qr).toBeVisible();
    await plain.getByText('我确认解除绑定').click();
    await plain.getByTestId('unbind').click();
    await expect(plain.getByTestId('ecard-start')).toBeVisible();
    await expect(plain.getByTestId('qr')).toHaveCount(0);
    await nojs.close();
  });

  test('applying for a parent\'s card: a wrong ID explained, then the timeline', async ({ page, browser, context }) => {
    await registerThroughPages(page, freshMobile());
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    await nojs.addCookies(await context.cookies());
    const plain = await nojs.newPage();
    await plain.goto('/ssc?edition=rural-simple');
    await plain.getByTestId('ssc-apply-link').click();
    await expect(plain).toHaveURL(/\/ssc\/apply$/);
    const mother = residentId('19450315');
    const wrong = mother.slice(0, 17) + (mother.endsWith('1') ? '2' : '1');
    await plain.getByLabel('持卡人姓名').fill('王秀英');
    await plain.getByLabel('持卡人身份证号（18 位）').fill(wrong);
    await plain.getByTestId('ssc-apply').click();
    await expect(plain.getByRole('alert')).toContainText('身份证');
    await expect(plain.getByTestId('ssc-applications')).toHaveCount(0);
    await plain.getByLabel('持卡人姓名').fill('王秀英');
    await plain.getByLabel('持卡人身份证号（18 位）').fill(mother);
    await plain.getByTestId('ssc-apply').click();
    const timeline = plain.getByTestId('ssc-timeline').first();
    await expect(timeline.locator('[data-stage="submitted"]')).toHaveAttribute('data-done', 'true');
    await expect(timeline.locator('[data-stage="ready"]')).toHaveAttribute('data-done', 'false');
    await expect(plain.getByTestId('ssc-applications')).toContainText('王**');
    await expect(plain.getByTestId('ssc-applications')).toContainText('章丘农商银行');
    expect(await elderSizeProblems(plain)).toEqual([]);
    await screenshot(plain, 'rural-simple-ssc-apply-nojs');
    // The same person again within the month: refused with where to look instead.
    await plain.getByLabel('持卡人姓名').fill('王秀英');
    await plain.getByLabel('持卡人身份证号（18 位）').fill(mother);
    await plain.getByTestId('ssc-apply').click();
    await expect(plain.getByRole('alert')).toContainText('一个月内已经申领过');
    await expect(plain.getByTestId('ssc-applications').locator(':scope > li')).toHaveCount(1);
    await nojs.close();
  });
});
