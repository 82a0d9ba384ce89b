import { expect, test } from '@playwright/test';
import { elderSizeProblems, expectAccessible, hydrated, screenshot } from './helpers';

// Livelihood services that need no account: the pension estimate.

/** The worked example of domain::pension's tests: ¥8,000 base, index 1.00, 30 years, ¥150,000. */
async function fillPension(page: import('@playwright/test').Page, age = '60') {
  await page.getByLabel('计发基数（元/月）').fill('8000');
  await page.getByLabel('本人平均缴费指数').fill('1.00');
  await page.getByLabel('累计缴费（年）').fill('30');
  await page.getByLabel('个人账户储存额（元）').fill('150000');
  await page.getByLabel('退休年龄（岁）').fill(age);
  await page.getByTestId('pension-submit').click();
}

test('pension estimate from the city home tile, with the formula filled in', async ({ page }) => {
  await page.goto('/?edition=city');
  await hydrated(page);
  await page.getByRole('link', { name: /养老金测算/ }).click();
  await expect(page).toHaveURL(/\/pension$/);
  await fillPension(page);
  await expect(page.getByTestId('pension-total')).toHaveText('¥3,479.14');
  await expect(page.getByTestId('pension-basic')).toHaveText('¥2,400.00');
  await expect(page.getByTestId('pension-personal')).toHaveText('¥1,079.14');
  await expect(page.getByTestId('pension-result')).toContainText('(8000.00 + 8000.00) ÷ 2 × 30 × 1%');
  await expect(page.getByTestId('pension-result')).toContainText('150000.00 ÷ 139');
  await screenshot(page, 'city-pension');
  await expectAccessible(page, false);
  // A wrong field is named, nothing else is lost.
  await fillPension(page, '75');
  await expect(page.getByRole('alert')).toContainText('退休年龄要在 40 到 70 岁之间');
  await expect(page.getByLabel('计发基数（元/月）')).toHaveValue('8000');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the pension estimate is a plain form in the simple edition', async ({ page }) => {
    await page.goto('/pension?edition=rural-simple');
    await fillPension(page, '55');
    // 150000 / 170 = 882.35; basic unchanged.
    await expect(page.getByTestId('pension-total')).toHaveText('¥3,282.35');
    await expect(page).toHaveURL(/wage=8000/);
    await screenshot(page, 'rural-simple-pension');
    expect(await elderSizeProblems(page)).toEqual([]);
  });
});

test('the pension page in the city simple edition: large type, 7:1 contrast', async ({ page }) => {
  await page.goto('/pension?edition=city-simple');
  await hydrated(page);
  await fillPension(page);
  await expect(page.getByTestId('pension-total')).toHaveText('¥3,479.14');
  await expectAccessible(page, true);
  expect(await elderSizeProblems(page)).toEqual([]);
  await screenshot(page, 'city-simple-pension');
});

test('jobs from the rural home tile, searched by city and trade', async ({ page }) => {
  await page.goto('/?edition=rural');
  await hydrated(page);
  await page.getByRole('link', { name: /就业在线/ }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByTestId('jobs-simulated')).toBeVisible();
  await page.getByLabel('城市').selectOption('菏泽');
  await page.getByLabel('工种').selectOption({ label: '种植养殖' });
  await page.getByTestId('jobs-submit').click();
  await expect(page).toHaveURL(/city=%E8%8F%8F%E6%B3%BD/);
  const jobs = page.getByTestId('jobs').locator(':scope > li');
  await expect(jobs.first()).toBeVisible();
  for (const li of await jobs.all()) {
    await expect(li).toHaveAttribute('data-city', '菏泽');
    await expect(li).toHaveAttribute('data-trade', 'Farming');
  }
  await screenshot(page, 'rural-jobs');
  await expectAccessible(page, false);
  // Words nobody uses: a clear "nothing found".
  await page.getByLabel('关键词（岗位、单位或区县）').fill('宇航员');
  await page.getByTestId('jobs-submit').click();
  await expect(page.getByText('没有找到合适的岗位')).toBeVisible();
});

test.describe('without JavaScript, jobs', () => {
  test.use({ javaScriptEnabled: false });

  test('the job search is a plain form in the simple edition', async ({ page }) => {
    await page.goto('/jobs?edition=rural-simple');
    await page.getByLabel('城市').selectOption('聊城');
    await page.getByLabel('工种').selectOption({ label: '驾驶员' });
    await page.getByTestId('jobs-submit').click();
    const jobs = page.getByTestId('jobs').locator(':scope > li');
    await expect(jobs.first()).toContainText('聊城');
    await expect(jobs.first()).toHaveAttribute('data-trade', 'Driving');
    expect(await elderSizeProblems(page)).toEqual([]);
    await screenshot(page, 'rural-simple-jobs-nojs');
  });
});
