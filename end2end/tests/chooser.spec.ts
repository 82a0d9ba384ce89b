import { expect, test } from '@playwright/test';
import { expectEdition, hydrated, screenshot } from './helpers';

test.describe('first visit', () => {
  test.use({ javaScriptEnabled: false });

  test('shows the chooser and keeps the choice without JavaScript', async ({ page, context }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-edition-chosen', 'false');
    await expect(page.getByRole('heading', { name: '请选择适合您的版本' })).toBeVisible();
    for (const name of ['城市版', '乡村智慧版', '城市简约版', '乡村简约版']) {
      await expect(page.getByRole('button', { name: new RegExp(name) })).toBeVisible();
    }
    await screenshot(page, 'chooser');
    await page.locator('button[data-edition-option="rural-simple"]').click();
    await expectEdition(page, 'rural-simple');
    await expect(page.locator('.tile').first()).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === 'edition')?.value).toBe('rural-simple');
  });

  test('an unknown edition in the link gets the chooser with a clear message', async ({ page }) => {
    const res = await page.goto('/banks?edition=gold');
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('alert')).toContainText('链接里的版本名称无法识别');
    await page.locator('button[data-edition-option="city"]').click();
    await expect(page).toHaveURL(/\/banks$/);
    await expectEdition(page, 'city');
  });

  test('an unknown page gets the Chinese 404 view', async ({ page }) => {
    const res = await page.goto('/no-such-page?edition=city');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: '没有找到这个页面' })).toBeVisible();
    await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible();
    await screenshot(page, 'not-found');
  });
});

test('with JavaScript the chooser switches in place', async ({ page }) => {
  // The strict Content-Security-Policy must not block anything the app needs.
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) blocked.push(m.text());
  });
  await page.goto('/');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__stillHere = true));
  await page.locator('button[data-edition-option="city-simple"]').click();
  await expectEdition(page, 'city-simple');
  await expect(page.locator('.tile').first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__stillHere)).toBe(true);
  expect(blocked).toEqual([]);
});

test('health check reports the embedded database', async ({ request }) => {
  const res = await request.get('/healthz');
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
});

test('built files are content-named, precompressed and kept for a year; pages are never kept', async ({ request }) => {
  const home = await request.get('/?edition=rural-simple');
  expect(home.headers()['cache-control']).toBe('no-store');
  const html = await home.text();
  const files = [...html.matchAll(/"(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
  expect(files.some((f) => f.endsWith('.css'))).toBe(true);
  expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
  for (const file of files) {
    // bank-portal.<hash>.css, bank-portal.<hash>.js, bank-portal.<hash>_bg.wasm or the like.
    expect(file).toMatch(/\/pkg\/bank-portal\.[A-Za-z0-9_-]{8,}/);
    const res = await request.get(file, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status(), file).toBe(200);
    expect(res.headers()['content-encoding'], file).toBe('br');
    // Compressed once at build time: served with its length, not streamed through the
    // on-the-fly compressor.
    expect(Number(res.headers()['content-length']), file).toBeGreaterThan(0);
    expect(res.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
  }
  const gzip = await request.get(files[0], { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  // A name no build made is not found, and that answer is not kept.
  const missing = await request.get('/pkg/bank-portal.NoSuchBuild000000.js');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cache-control'] ?? '').not.toContain('immutable');
});
