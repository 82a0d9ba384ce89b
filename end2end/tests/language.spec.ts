import { expect, test } from '@playwright/test';
import { hydrated, screenshot } from './helpers';

test('?lang=en switches to English, settings switch back without a reload', async ({ page }) => {
  await page.goto('/settings?edition=city&lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await screenshot(page, 'city-settings-en');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__stillHere = true));
  await page.locator('button[data-lang-option="zh-CN"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '设置', level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__stillHere)).toBe(true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the language switch is a plain form post', async ({ page }) => {
    await page.goto('/settings?edition=rural-simple');
    await page.locator('button[data-lang-option="en"]').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await page.locator('button[data-lang-option="zh-CN"]').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });
});
