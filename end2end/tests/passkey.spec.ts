import { expect, test } from '@playwright/test';
import {
  addPasskey,
  elderSizeProblems,
  expectAccessible,
  freshMobile,
  hydrated,
  registerThroughPages,
  screenshot,
  virtualAuthenticator,
} from './helpers';

// 指纹/面容登录 with Chromium's virtual authenticator standing in for the phone's sensor.

for (const edition of [
  { slug: 'city', simple: false },
  { slug: 'rural-simple', simple: true },
] as const) {
  test(`passkey in ${edition.slug}: added after an SMS code, then all it takes to sign in`, async ({ page }) => {
    // Registration's SMS code and the passkey's are a minute apart (the SMS limit).
    test.setTimeout(150_000);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await page.goto(`/?edition=${edition.slug}`);
    const mobile = freshMobile();
    await registerThroughPages(page, mobile);

    await page.getByRole('link', { name: '指纹/面容登录' }).click();
    await hydrated(page);
    await expect(page.getByTestId('passkeys-none')).toBeVisible();
    await expectAccessible(page, edition.simple);
    await addPasskey(page, mobile);
    await expect(page.getByTestId('passkeys')).toContainText('尚未使用');
    await screenshot(page, `${edition.slug}-passkeys`);
    await expectAccessible(page, edition.simple);
    if (edition.simple) expect(await elderSizeProblems(page)).toEqual([]);
    // The device holds a discoverable credential; the bank holds only its public key.
    const held = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(held.credentials).toHaveLength(1);
    expect(held.credentials[0].isResidentCredential).toBe(true);

    // Signed out, cookies gone (a browser the bank has never seen): no number, no password,
    // no SMS code.
    await page.context().clearCookies();
    await page.goto(`/login?edition=${edition.slug}`);
    await hydrated(page);
    await expect(page.getByLabel('手机号')).toHaveAttribute('autocomplete', 'username webauthn');
    await expect(page.getByTestId('passkey-sign-in')).toBeVisible();
    await screenshot(page, `${edition.slug}-login-passkey`);
    await expectAccessible(page, edition.simple);
    if (edition.simple) expect(await elderSizeProblems(page)).toEqual([]);
    await page.getByTestId('passkey-sign-in-button').click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId('profile')).toContainText('王**');

    // Used once now; removed, the phone still offers it and the bank says it is off.
    await page.goto('/account/passkeys');
    await hydrated(page);
    await expect(page.getByTestId('passkeys')).not.toContainText('尚未使用');
    await page.getByTestId('passkey-remove').click();
    await expect(page.getByTestId('passkeys-none')).toBeVisible();
    await page.context().clearCookies();
    await page.goto(`/login?edition=${edition.slug}`);
    await hydrated(page);
    await page.getByTestId('passkey-sign-in-button').click();
    await expect(page.getByRole('alert')).toContainText('没有在本行开通');
    await expect(page).toHaveURL(/\/login/);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('no passkey button pretends to work; password sign-in is untouched', async ({ page }) => {
    await page.goto('/login?edition=city-simple');
    await expect(page.getByLabel('登录密码')).toBeVisible();
    await expect(page.getByTestId('passkey-sign-in')).toHaveCount(0);
  });
});
