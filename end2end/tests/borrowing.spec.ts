import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { elderSizeProblems, expectAccessible, hydrated, lastCode, screenshot, signInDemo, Slug, waitOutTheSmsMinute } from './helpers';

// The demo customer 孙秀英 (development mode only, see README): two years with 章丘农商银行,
// monthly takings from the vegetable market and a one-year deposit of ¥50,000; her nephew
// 周海涛 at 济南农商银行 guarantees her 保证e贷. No other test uses either of them, so what their
// money does here is all that happens to it.
const mobile = '13800000004';
const nephew = '13800000005';

async function plainBrowser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

/**
 * Signs her in on a new browser; when her sign-in code went out less than a minute ago (the
 * test before signed in too), waits the seconds the page names, as she would.
 */
async function signInAgain(page: Page, edition: Slug, who: string = mobile) {
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.goto(`/login?edition=${edition}`);
    await page.getByLabel('手机号').fill(who);
    await page.getByLabel('登录密码').fill('demo2026pass');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const wait = page.getByText(/(\d+) 秒后可以重新获取/);
    await expect(page.getByLabel('短信验证码').or(wait).first()).toBeVisible();
    if (await wait.isVisible()) {
      await waitOutTheSmsMinute(page, wait);
      continue;
    }
    await page.getByLabel('短信验证码').fill(await lastCode(page, who));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await expect(page).toHaveURL(/\/account$/);
    return;
  }
  throw new Error('never signed in');
}

/**
 * Asks for a signing code with the button `testId`; when one went to the same phone less than a
 * minute ago (the test before), waits the seconds the page names and asks again.
 */
async function sendSigningCode(page: Page, testId: string) {
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.getByTestId(testId).click();
    const wait = page.getByText(/(\d+) 秒后可以重新获取/);
    await expect(page.getByTestId('code-sent-to').or(wait).first()).toBeVisible();
    if (!(await wait.isVisible())) return;
    await waitOutTheSmsMinute(page, wait);
  }
}

/** Opens the application form of the product named `name` from /loans. */
async function applyFor(page: Page, name: string) {
  await page.goto('/loans');
  await page.getByTestId('loan-product').filter({ hasText: name }).getByTestId('loan-apply-link').click();
  await expect(page).toHaveURL(/\/loans\/apply\?product=/);
}

test.describe.serial('孙秀英 borrows online', () => {
  test('without JavaScript in the city simple edition: a 质押e贷 against her deposit, signed with an SMS code and paid out; the deposit is frozen', async ({ browser }) => {
    const { context, page } = await plainBrowser(browser);
    await signInDemo(page, mobile, 'city-simple');
    await page.goto('/');
    await expect(page.locator('.tile').filter({ hasText: '贷款' })).toBeVisible();

    // Screen 1: the form.
    await applyFor(page, '质押e贷');
    await expect(page.getByTestId('loan-deposit')).toContainText('最多可借 ¥45,000.00');
    await page.getByTestId('loan-amount').fill('60000');
    await page.getByLabel('期限（月）').selectOption('12');
    await page.getByLabel('还款方式').selectOption('equal-instalment');
    await page.getByLabel('借款用途').selectOption('planting');
    // Without the authorization the browser itself holds the form back; the server refuses
    // too (a plain post of the same fields).
    await page.getByTestId('loan-authorize').check();
    await page.getByTestId('loan-submit').click();
    // More than the deposit secures: refused with the figure, nothing written.
    await expect(page.getByText('用这笔定期存款质押，最多能借 ¥45,000.00。')).toBeVisible();
    await page.getByTestId('loan-amount').fill('20000');
    await page.getByLabel('期限（月）').selectOption('12');
    await page.getByLabel('还款方式').selectOption('equal-instalment');
    await page.getByLabel('借款用途').selectOption('planting');
    await page.getByTestId('loan-authorize').check();
    await page.getByTestId('loan-submit').click();

    // Screen 2: the offer and its contract.
    await expect(page).toHaveURL(/\/loans\/[0-9a-z-]+$/);
    await expect(page.getByTestId('loan-state')).toHaveText('待签约');
    const contract = page.getByTestId('loan-contract');
    await expect(contract).toContainText('人民币贰万元整');
    await expect(contract).toContainText('等额本息');
    await expect(contract).toContainText('孙秀英');
    await expect(contract).toContainText('不得提前支取');
    await screenshot(page, 'city-simple-loan-contract');
    expect(await elderSizeProblems(page)).toEqual([]);
    await page.getByTestId('loan-send-code').click();
    await expect(page.getByTestId('code-sent-to')).toContainText('138****0004');
    const sms = (await (await page.request.get(`/dev/sms?mobile=${mobile}`)).json())[0].body as string;
    expect(sms).toContain('¥20,000.00');
    // A wrong code signs nothing.
    await page.getByLabel('短信验证码').fill('000000');
    await page.getByTestId('loan-sign').click();
    await expect(page.getByTestId('loan-state')).toHaveText('待签约');
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await page.getByTestId('loan-sign').click();

    // Screen 3: paid out, the schedule to repay.
    await expect(page.getByTestId('loan-state')).toHaveText('还款中');
    await expect(page.getByTestId('loan-schedule').locator('tbody tr')).toHaveCount(12);
    await expect(page.getByTestId('loan-owed')).toHaveText('¥20,000.00');
    await screenshot(page, 'city-simple-loan-active');
    expect(await elderSizeProblems(page)).toEqual([]);
    const loanUrl = page.url();

    // The pledged deposit says so and offers no early withdrawal (the domain refuses one too).
    await page.goto('/deposits');
    const deposit = page.getByTestId('deposit').filter({ hasText: '¥50,000.00' }).first();
    await expect(deposit.getByTestId('deposit-pledged')).toHaveText('已质押');
    await expect(deposit).toContainText('这笔定期已质押给贷款，还清贷款后才能支取。');
    await expect(deposit.getByRole('button', { name: '提前支取' })).toHaveCount(0);

    // The first instalment repaid ahead of its day.
    await page.goto(loanUrl);
    await page.getByTestId('loan-repay-due').click();
    await expect(page.getByTestId('loan-schedule').locator('tbody tr').first()).toContainText('已还');
    await expect(page.getByTestId('loan-due-now')).toHaveText('¥0.00');
    await context.close();
  });

  test('with JavaScript in the rural edition: the loans lead the home page; a 信e贷 line signed, drawn and repaid', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAgain(page, 'rural');
    await page.goto('/');
    await hydrated(page);
    await expect(page.locator('.tile').first()).toContainText('贷款');
    await page.locator('.tile').first().click();
    await expect(page).toHaveURL(/\/loans$/);
    await expect(page.getByTestId('my-loan')).toHaveCount(1);
    await page.getByTestId('loan-product').filter({ hasText: '信e贷' }).getByTestId('loan-apply-link').click();
    await expect(page.getByTestId('loan-amount')).toBeVisible();
    await page.getByTestId('loan-amount').fill('50000');
    await page.getByLabel('借款用途').selectOption('inputs');
    await page.getByTestId('loan-authorize').check();
    await page.getByTestId('loan-submit').click();
    await expect(page).toHaveURL(/\/loans\/[0-9a-z-]+$/);
    await expect(page.getByTestId('loan-state')).toHaveText('待签约');
    await expect(page.getByTestId('loan-contract')).toContainText('按日计息');
    // The code goes out and the page asks for it in place (after the minute the SMS limit
    // names, when the test before sent her one less than a minute ago).
    await sendSigningCode(page, 'loan-send-code');
    await expect(page.getByTestId('code-sent-to')).toContainText('138****0004');
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await page.getByTestId('loan-sign').click();
    await expect(page.getByTestId('loan-state')).toHaveText('还款中');
    await expect(page.getByTestId('line-drawn')).toHaveText('¥0.00');
    await expectAccessible(page, false);
    await screenshot(page, 'rural-credit-line');

    await page.getByTestId('line-draw-amount').fill('10000');
    await page.getByTestId('line-draw').click();
    await expect(page.getByText('已到账。')).toBeVisible();
    await expect(page.getByTestId('line-drawn')).toHaveText('¥10,000.00');
    await expect(page.getByTestId('line-available')).toHaveText('¥40,000.00');
    // More than the line has left: the figure, nothing drawn.
    await page.getByTestId('line-draw-amount').fill('40000.01');
    await page.getByTestId('line-draw').click();
    await expect(page.getByText('超过了可用额度，现在最多能借 ¥40,000.00。')).toBeVisible();
    // Repaid the same day: no interest.
    await page.getByTestId('line-repay-amount').fill('10000');
    await page.getByTestId('line-repay').click();
    await expect(page.getByTestId('line-drawn')).toHaveText('¥0.00');
    await expect(page.getByTestId('line-interest')).toHaveText('¥0.00');
    await context.close();
  });

  test('a 保证e贷: she applies and signs with JavaScript in the city edition, her nephew reads and signs the guarantee in his own login without JavaScript in the rural simple edition, then the money is paid out', async ({ browser }) => {
    // She may wait out the SMS minute twice (signing in, the signing code) after the test before.
    test.setTimeout(240_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAgain(page, 'city');
    await applyFor(page, '保证e贷');
    await hydrated(page);
    const fill = async (guarantor: string) => {
      await page.getByTestId('loan-amount').fill('30000');
      await page.getByLabel('期限（月）').selectOption('12');
      await page.getByLabel('还款方式').selectOption('equal-instalment');
      await page.getByLabel('借款用途').selectOption('business');
      await page.getByTestId('loan-guarantor').fill(guarantor);
      await page.getByTestId('loan-authorize').check();
      await page.getByTestId('loan-submit').click();
    };
    // Her own number: refused in words, nothing written.
    await fill(mobile);
    await expect(page.getByText('担保人不能是您本人，请填写另一位客户的手机号。')).toBeVisible();
    await fill(nephew);
    await expect(page).toHaveURL(/\/loans\/[0-9a-z-]+$/);
    await expect(page.getByTestId('loan-state')).toHaveText('待签约');
    const contract = page.getByTestId('loan-contract');
    await expect(contract).toContainText('保证人周海涛');
    await expect(contract).toContainText('连带责任保证');
    await sendSigningCode(page, 'loan-send-code');
    await page.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await page.getByTestId('loan-sign').click();
    await expect(page.getByTestId('loan-state')).toHaveText('待担保人确认');
    await expect(page.getByTestId('loan-schedule')).toHaveCount(0);
    const loanUrl = page.url();
    const loanId = loanUrl.split('/').pop()!;

    // The second browser: her nephew, his own phone, his own login.
    const other = await plainBrowser(browser);
    const guarantor = other.page;
    await signInAgain(guarantor, 'rural-simple', nephew);
    // Nobody else's loan is his to see: her loan's own page is not found for him.
    await guarantor.goto(loanUrl);
    await expect(guarantor.getByTestId('loan-state')).toHaveCount(0);
    await guarantor.goto('/inbox');
    await expect(guarantor.getByText('担保邀请').first()).toBeVisible();
    await guarantor.getByRole('link', { name: '阅读合同并答复' }).first().click();
    await expect(guarantor).toHaveURL(new RegExp(`/loans/guarantees/${loanId}$`));
    await expect(guarantor.getByTestId('guarantee-state')).toHaveText('待担保人确认');
    await expect(guarantor.getByText('孙**请您为TA的保证e贷做连带责任保证人。')).toBeVisible();
    await expect(guarantor.getByTestId('guarantee-amount')).toHaveText('¥30,000.00');
    await expect(guarantor.getByTestId('guarantee-contract')).toContainText('保证人周海涛');
    await screenshot(guarantor, 'rural-simple-guarantee');
    expect(await elderSizeProblems(guarantor)).toEqual([]);
    // axe runs scripts: the same page in his session with JavaScript on.
    const withScript = await browser.newContext({ storageState: await other.context.storageState() });
    const checked = await withScript.newPage();
    await checked.goto(guarantor.url());
    await hydrated(checked);
    await expect(checked.getByTestId('guarantee-contract')).toContainText('保证人周海涛');
    await expectAccessible(checked, true);
    await withScript.close();
    await guarantor.getByTestId('guarantee-send-code').click();
    await expect(guarantor.getByTestId('code-sent-to')).toContainText('138****0005');
    const sms = (await (await guarantor.request.get(`/dev/sms?mobile=${nephew}`)).json())[0].body as string;
    expect(sms).toContain('连带责任保证');
    expect(sms).toContain('¥30,000.00');
    // Her signing code is not his.
    await guarantor.getByLabel('短信验证码').fill(await lastCode(page, mobile));
    await guarantor.getByTestId('guarantee-authorize').check();
    await guarantor.getByTestId('guarantee-sign').click();
    await expect(guarantor.getByTestId('guarantee-state')).toHaveText('待担保人确认');
    await guarantor.getByLabel('短信验证码').fill(await lastCode(guarantor, nephew));
    await guarantor.getByTestId('guarantee-authorize').check();
    await guarantor.getByTestId('guarantee-sign').click();
    await expect(guarantor.getByTestId('guarantee-state')).toHaveText('还款中');
    await expect(guarantor.getByTestId('guarantee-sign')).toHaveCount(0);
    await guarantor.goto('/loans');
    await expect(guarantor.getByTestId('my-guarantee')).toContainText('孙**的保证e贷');
    await other.context.close();

    // Paid out to her: the schedule to repay, and a message saying so.
    await page.goto(loanUrl);
    await expect(page.getByTestId('loan-state')).toHaveText('还款中');
    await expect(page.getByTestId('loan-schedule').locator('tbody tr')).toHaveCount(12);
    await expect(page.getByTestId('loan-owed')).toHaveText('¥30,000.00');
    await page.goto('/inbox');
    await expect(page.getByText('您的担保人已签署保证e贷合同，¥30,000.00 已发放到您的还款账户。')).toBeVisible();
    await context.close();
  });
});
