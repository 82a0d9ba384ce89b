import { expect, Page, test } from '@playwright/test';
import { EDITIONS, elderSizeProblems, expectAccessible, hydrated, screenshot } from './helpers';

// The public loan calculator: exact schedules in fen, the APR beside the nominal rate.

async function calculate(page: Page, amount: string, rate: string, months: string, method: string) {
  await page.getByTestId('loan-amount').fill(amount);
  await page.getByTestId('loan-rate').fill(rate);
  await page.getByTestId('loan-months').fill(months);
  await page.getByTestId('loan-method').selectOption(method);
  await page.getByTestId('loan-submit').click();
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a shared link renders the whole schedule on the server', async ({ page }) => {
    const r = await page.goto('/loans/calculator?amount=1000000&rate=4.9&months=360&method=equal-instalment&edition=city-simple');
    expect(r?.status()).toBe(200);
    // ¥1,000,000 over 30 years at 4.9 %: the figure every bank's calculator gives.
    await expect(page.getByTestId('loan-first')).toHaveText('¥5,307.27');
    await expect(page.getByTestId('loan-nominal')).toHaveText('4.90%');
    await expect(page.getByTestId('loan-apr')).toHaveText('4.90%');
    await expect(page.getByTestId('loan-schedule').locator('tbody tr')).toHaveCount(360);
    await expect(page.getByTestId('loan-schedule').locator('tbody tr').last().locator('td').last()).toHaveText('¥0.00');
    expect(await elderSizeProblems(page)).toEqual([]);
    await screenshot(page, 'city-simple-loan-calculator');

    // The form posts as a plain GET: equal principal starts higher and falls ¥11.34 a month.
    await calculate(page, '1000000', '4.9', '360', 'equal-principal');
    await expect(page).toHaveURL(/method=equal-principal/);
    await expect(page.getByTestId('loan-first')).toHaveText('¥6,861.11');
    await expect(page.getByTestId('loan-step')).toContainText('¥11.34');
    await expect(page.getByTestId('loan-amount')).toHaveValue('1000000');
  });

  test('bad parameters come back as the form with the reason, never a 500', async ({ page }) => {
    const cases: [string, RegExp][] = [
      ['amount=abc&rate=4.9&months=12&method=equal-instalment', /贷款金额请填 1 元到 1 亿元之间/],
      ['amount=0.5&rate=4.9&months=12&method=equal-instalment', /贷款金额请填 1 元到 1 亿元之间/],
      ['amount=50000&rate=35&months=12&method=equal-instalment', /年利率请填 0 到 20 之间的百分数/],
      ['amount=50000&rate=4.9&months=999&method=equal-instalment', /期限请填 1 到 360 个月/],
      ['amount=50000&rate=4.9&months=12&method=balloon', /请从列表里选一种还款方式/],
    ];
    for (const [query, message] of cases) {
      const r = await page.goto(`/loans/calculator?${query}`);
      expect(r?.status(), query).toBeLessThan(500);
      await expect(page.getByTestId('loan-error'), query).toContainText(message);
      await expect(page.getByTestId('loan-result')).toHaveCount(0);
      await expect(page.getByTestId('loan-form')).toBeVisible();
    }
  });
});

test('from the rural home tile: interest first, quarterly, for a farmer paid by the season', async ({ page }) => {
  await page.goto('/?edition=rural');
  await hydrated(page);
  await page.getByRole('link', { name: /贷款计算器/ }).click();
  await expect(page).toHaveURL(/\/loans\/calculator$/);
  await calculate(page, '100000', '6', '12', 'interest-first-quarterly');
  await expect(page.getByTestId('loan-first')).toHaveText('¥1,500.00');
  await expect(page.getByTestId('loan-last')).toHaveText('¥101,500.00');
  // Interest paid quarterly costs a little less a year than the same rate paid monthly.
  await expect(page.getByTestId('loan-apr')).toHaveText('5.97%');
  await expect(page.getByTestId('loan-total-interest')).toHaveText('¥6,000.00');
  await page.getByTestId('loan-schedule').locator('summary').click();
  await expect(page.getByTestId('loan-schedule').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('loan-schedule').locator('tbody tr').first().locator('th')).toHaveText('1（第 3 个月）');
  await screenshot(page, 'rural-loan-calculator');
  await expectAccessible(page, false);
});

for (const e of EDITIONS) {
  test(`the calculator in the ${e.slug} edition, with WASM`, async ({ page }) => {
    await page.goto(`/loans/calculator?edition=${e.slug}`);
    await hydrated(page);
    await calculate(page, '100000', '4.35', '12', 'equal-instalment');
    await expect(page.getByTestId('loan-first')).toHaveText('¥8,530.99');
    await expect(page.getByTestId('loan-apr')).toHaveText('4.35%');
    await page.getByTestId('loan-schedule').locator('summary').click();
    await expectAccessible(page, e.simple);
    if (e.simple) expect(await elderSizeProblems(page)).toEqual([]);
    await screenshot(page, `${e.slug}-loan-calculator-schedule`);
  });
}
