// useTokens in a React page: state renders, a component brings its family's CSS, controls work.
import { expect, test } from '@playwright/test';
import { pageUrl, type RuntimeServer, startRuntimeServer } from './fixtures/runtime/server.js';

const ALL_V2 = { stage: 'go', version: 'fixture-1', go: { percentage: 100, regions: ['all'] } };

let server: RuntimeServer;
test.beforeAll(async () => {
  server = await startRuntimeServer();
});
test.afterAll(async () => {
  await server.close();
});

const links = (page: import('@playwright/test').Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('link[data-tr]')].map((l) => l.getAttribute('data-tr')).sort(),
  );

test('useTokens renders the decision, loads a mounted family and releases it on unmount', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pageUrl(server, { config: JSON.stringify(ALL_V2) }, { app: 'react' }));
  await expect(page.getByTestId('buttons')).toContainText('v2 in-rollout loaded light ready');
  await expect.poll(() => links(page)).toEqual(['v2/buttons', 'v2/core']);
  await page.getByRole('button', { name: 'show forms' }).click();
  await expect(page.getByTestId('forms')).toContainText('v2 in-rollout loaded');
  expect(await links(page)).toEqual(['v2/buttons', 'v2/core', 'v2/forms']);
  await page.getByRole('button', { name: 'hide forms' }).click();
  await expect.poll(() => links(page)).toEqual(['v2/buttons', 'v2/core']);

  await page.getByRole('button', { name: 'toggle theme buttons' }).click();
  await expect(page.getByTestId('buttons')).toContainText('dark');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

  await expect(page.getByTestId('notice')).toBeVisible();
  await page.getByRole('button', { name: 'dismiss' }).click();
  await expect(page.getByTestId('notice')).toHaveCount(0);

  await page.getByRole('button', { name: 'use the classic look' }).click();
  await expect(page.getByTestId('buttons')).toContainText('v1 opted-out loaded');
  await expect.poll(() => links(page)).toEqual(['v1']);
  expect(errors).toEqual([]);
});
