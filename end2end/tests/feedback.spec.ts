import { expect, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  DEMO_SECRET,
  EDITIONS,
  elderSizeProblems,
  expectAccessible,
  freshMobile,
  hydrated,
  registerThroughPages,
  screenshot,
  signIn,
} from './helpers';

// 意见反馈: a customer sends a complaint from the page it is about, the agent of the
// customer's bank answers it in the console against its service level, the answer arrives in
// the customer's message centre and is rated, and the union sees the bank's numbers.

test('a complaint from the transfer page is answered by the customer’s bank and rated', async ({ browser, page }) => {
  // A customer, two staff sign-ins, pages in between.
  test.setTimeout(150_000);
  const stamp = Date.now() % 1_000_000;
  const words = `转账页面的字太小，我看不清楚。${stamp}`;
  const answer = `您好，已为您调大字号，感谢反馈。${stamp}`;

  // The elder customer of 济南农商银行 in the rural-simple edition, on the transfer page.
  await registerThroughPages(page, freshMobile(), '19550101', '济南农商银行');
  await page.goto('/transfer?edition=rural-simple');
  await hydrated(page);
  await page.getByTestId('feedback-link').click();
  await expect(page).toHaveURL(/\/feedback\?from=\/transfer$/);
  await page.getByLabel('投诉').check();
  await page.getByLabel('问题类别').selectOption({ label: '转账汇款' });
  await page.getByLabel('请写下您遇到的问题或建议').fill(words);
  await expectAccessible(page, true);
  expect(await elderSizeProblems(page)).toEqual([]);
  await screenshot(page, 'rural-simple-feedback');
  await page.getByTestId('feedback-send').click();
  await expect(page).toHaveURL(/\/feedback\/[0-9a-f-]+$/);
  await expect(page.getByTestId('feedback-status')).toHaveText('待处理');
  await expect(page.getByTestId('feedback-words')).toHaveText(words);
  const customerPath = new URL(page.url()).pathname;

  // The bank's agent: the queue shows it with time left, the item where it came from.
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const agent = await agentContext.newPage();
  await signIn(agent, 'b001.service', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await agent.getByRole('link', { name: '客户反馈' }).first().click();
  await expect(agent).toHaveURL(/\/ops\/feedback$/);
  const id = customerPath.split('/').pop();
  const row = agent.getByTestId('feedback-row').filter({ has: agent.locator(`a[href="/ops/feedback/${id}"]`) });
  await expect(row.getByTestId('sla-timer')).toContainText(/剩余 2[34] 小时/);
  await expect(row.getByTestId('sla-timer')).toHaveAttribute('data-overdue', 'false');
  await expectAccessible(agent, false);
  await screenshot(agent, 'ops-feedback-queue');
  await row.getByRole('link', { name: '处理' }).click();
  await expect(agent.getByTestId('feedback-words')).toHaveText(words);
  await expect(agent.getByTestId('feedback-page')).toHaveText('/transfer');
  await agent.getByTestId('feedback-take').click();
  await expect(agent.getByTestId('feedback-status')).toHaveText('处理中');
  await agent.getByTestId('feedback-reply').fill(answer);
  await agent.getByTestId('feedback-send-reply').click();
  await expect(agent.getByTestId('feedback-status')).toHaveText('已答复');
  await expect(agent.getByTestId('feedback-answer')).toHaveText(answer);
  await expectAccessible(agent, false);
  await screenshot(agent, 'ops-feedback-answered');

  // The customer: a service message in the message centre leads to the answer, rated there.
  await page.goto('/inbox?kind=service');
  await expect(page.getByTestId('inbox')).toContainText('您反馈的“转账汇款”问题，银行已经答复。');
  await page.getByTestId('inbox').getByRole('link', { name: '查看答复' }).first().click();
  await expect(page).toHaveURL(new RegExp(`${customerPath}$`));
  await expect(page.getByTestId('feedback-answer')).toHaveText(answer);
  await page.getByTestId('feedback-satisfied').click();
  await expect(page.getByTestId('feedback-rating')).toContainText('满意');
  await expect(page.getByTestId('feedback-status')).toHaveText('已办结');
  await expectAccessible(page, true);
  await screenshot(page, 'rural-simple-feedback-answered');

  // The agent sees the rating; the union's agent sees the bank among all banks.
  await agent.reload();
  await expect(agent.getByTestId('feedback-rating')).toHaveText('满意');
  await agentContext.close();
  await signIn(page, 'p000.service', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/ops/feedback/stats?days=7');
  await expect(page.getByTestId('feedback-stats')).toContainText('济南农商银行');
  await expect(page.getByRole('link', { name: '客户反馈' })).toHaveCount(0);
  await expectAccessible(page, false);
  await screenshot(page, 'ops-feedback-stats');
});

test('every edition offers feedback at the foot of its pages, large in the simple ones', async ({ page }) => {
  for (const edition of EDITIONS) {
    await page.goto(`/banks?edition=${edition.slug}`);
    const link = page.getByTestId('feedback-link');
    await expect(link).toHaveAttribute('href', '/feedback?from=/banks');
    const box = await link.boundingBox();
    expect(box?.height ?? 0, edition.slug).toBeGreaterThanOrEqual(edition.simple ? 60 : 44);
  }
  // Signed out, the feedback page asks to sign in first and comes back to it.
  await page.getByTestId('feedback-link').click();
  await expect(page.getByRole('link', { name: '登录' }).first()).toHaveAttribute('href', /next=\/feedback/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a suggestion sent, answered and rated as plain form posts', async ({ browser, page }) => {
    test.setTimeout(120_000);
    const stamp = Date.now() % 1_000_000;
    await registerThroughPages(page, freshMobile(), '19800101', '济南农商银行');
    await page.goto('/?edition=city');
    await page.getByTestId('feedback-link').click();
    await expect(page).toHaveURL(/\/feedback\?from=\/$/);
    // Too short once the spaces around it are gone: refused with the reason, nothing recorded.
    await page.getByLabel('请写下您遇到的问题或建议').fill('好      ');
    await page.getByTestId('feedback-send').click();
    await expect(page.getByRole('alert')).toContainText('反馈请写 5 到 500 个字');
    await page.goto('/feedback');
    await expect(page.getByText('您还没有提交过反馈。')).toBeVisible();
    await page.getByLabel('问题类别').selectOption({ label: '页面与操作' });
    await page.getByLabel('请写下您遇到的问题或建议').fill(`希望首页能加一个大字版入口。${stamp}`);
    await page.getByTestId('feedback-send').click();
    await expect(page).toHaveURL(/\/feedback\/[0-9a-f-]+$/);
    await expect(page.getByTestId('feedback-status')).toHaveText('待处理');
    const id = new URL(page.url()).pathname.split('/').pop();

    const agentContext = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const agent = await agentContext.newPage();
    await signIn(agent, 'b001.service', DEMO_PASSWORD, DEMO_SECRET, /\/ops$/);
    await agent.goto(`/ops/feedback/${id}`);
    await agent.getByTestId('feedback-reply').fill(`谢谢建议，已转产品部门。${stamp}`);
    await agent.getByTestId('feedback-send-reply').click();
    await agent.goto(`/ops/feedback/${id}`);
    await expect(agent.getByTestId('feedback-status')).toHaveText('已答复');
    await agent.goto('/ops/feedback?view=answered');
    await expect(agent.locator(`a[href="/ops/feedback/${id}"]`)).toHaveCount(1);
    await agentContext.close();

    await page.goto(`/feedback/${id}`);
    await expect(page.getByTestId('feedback-answer')).toContainText('谢谢建议');
    await page.getByTestId('feedback-unsatisfied').click();
    await page.goto(`/feedback/${id}`);
    await expect(page.getByTestId('feedback-rating')).toContainText('不满意');
    await page.goto('/feedback');
    await expect(page.getByTestId('my-feedback').first()).toContainText('已办结');
  });
});
