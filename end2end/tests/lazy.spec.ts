import { expect, Page, test } from '@playwright/test';
import { freshMobile, hydrated, registerThroughPages } from './helpers';

// Each capability's pages are their own WASM chunk: the first visit downloads the main chunk
// only, a capability's chunk comes when the customer goes there, and a chunk that fails to
// arrive leaves a page that says so and loads it again from the server.

/** The WASM files this page requests from now on, by path. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.push(path);
  });
  return seen;
}

/** Errors thrown in the page (a WASM panic, a hydration failure). */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The main WASM, as the page's head preloads it. */
async function mainWasm(page: Page): Promise<string> {
  const hrefs = await page.locator('link[rel=preload][type="application/wasm"]').evaluateAll((links) =>
    links.map((l) => new URL((l as HTMLLinkElement).href).pathname),
  );
  const main = hrefs.find((h) => /\/bank-portal[._]/.test(h));
  expect(main, `the main WASM among ${hrefs.join(', ')}`).toBeTruthy();
  return main!;
}

test.describe('lazily loaded pages', () => {
  test('the home loads only the main chunk; a page elsewhere fetches its own on navigation, and back', async ({ page }) => {
    const errors = pageErrors(page);
    await registerThroughPages(page, freshMobile());
    const wasm = wasmRequests(page);
    await page.goto('/?edition=rural-simple');
    await hydrated(page);
    const main = await mainWasm(page);
    // Nothing besides the main WASM on the home's first load.
    expect(wasm).toContain(main);
    expect(wasm.filter((w) => w !== main)).toEqual([]);

    // A marker that a full page load would wipe: the navigation stays in this document.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    // A pointer resting on the link starts fetching the page's chunk, before any tap.
    const deposits = page.getByRole('link', { name: /定期存款/ });
    const fetched = page.waitForRequest((r) => r.url().endsWith('.wasm') && new URL(r.url()).pathname !== main);
    await deposits.hover();
    await fetched;
    await expect(deposits).toBeVisible();
    await deposits.click();
    await expect(page).toHaveURL(/\/deposits$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('定期存款');
    const chunks = wasm.filter((w) => w !== main);
    expect(chunks.length, 'the deposits chunk was fetched').toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // Back home: the home is in the main chunk, and the deposits chunk is kept (the pointer
    // may rest on another link meanwhile and fetch that page's chunk, which is fine).
    const before = wasm.length;
    await page.goBack();
    await expect(page).toHaveURL(/\/(\?[^/]*)?$/);
    await expect(page.getByRole('link', { name: /定期存款/ })).toBeVisible();
    // And forward again: the chunk is already here.
    await page.goForward();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('定期存款');
    expect(wasm.slice(before).filter((w) => chunks.includes(w))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('a page opened directly names its chunk in the HTML and hydrates from it', async ({ page }) => {
    const errors = pageErrors(page);
    const wasm = wasmRequests(page);
    await page.goto('/settings?edition=city');
    await hydrated(page);
    const main = await mainWasm(page);
    const preloaded = await page.locator('link[rel=preload][type="application/wasm"]').evaluateAll((links) =>
      links.map((l) => new URL((l as HTMLLinkElement).href).pathname),
    );
    const own = preloaded.filter((p) => p !== main);
    expect(own.length, 'the settings chunk is preloaded by the HTML').toBeGreaterThan(0);
    for (const chunk of own) expect(wasm).toContain(chunk);
    // Hydrated from the chunk: the page's language form answers in place, without a page load
    // (unhydrated, it would post and load a new page).
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.locator('main [data-lang-option="en"]').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('a chunk that does not arrive leaves a page that loads it again', async ({ page }) => {
    const errors = pageErrors(page);
    await page.goto('/?edition=city');
    await hydrated(page);
    const main = await mainWasm(page);
    // The network drops every WASM request but the main one's (already loaded).
    await page.route(/\.wasm$/, (route) =>
      new URL(route.request().url()).pathname === main ? route.continue() : route.abort('internetdisconnected'),
    );
    await page.getByRole('link', { name: /全省农商银行/ }).click();
    await expect(page).toHaveURL(/\/banks$/);
    await expect(page.getByRole('heading', { name: '页面没有加载出来' })).toBeVisible();
    // The loader reports the failed fetches; nothing else went wrong (a WASM panic would show
    // here), and the app still answers: home is in the main chunk, reached without a page load.
    expect(errors.filter((e) => !/Failed to fetch/.test(e))).toEqual([]);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.locator('nav.app-nav a[href="/"]').click();
    await expect(page.getByRole('link', { name: /全省农商银行/ })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.goBack();

    await page.unroute(/\.wasm$/);
    await page.getByRole('link', { name: '重新加载' }).click();
    await hydrated(page);
    await expect(page.getByTestId('bank-count')).toBeVisible();
    await expect(page.getByRole('heading', { name: '页面没有加载出来' })).toHaveCount(0);
  });
});
