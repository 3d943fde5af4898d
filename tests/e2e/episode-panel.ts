import type { Locator, Page } from 'playwright-core';

/** Signs in to the inbox as `who`, shows every state and filters by the episode: its panel. */
export async function openEpisodePanel(
  page: Page,
  url: string,
  who: { email: string; password: string },
  episode: string,
): Promise<Locator> {
  await page.goto(`${url}/inbox`);
  await page.locator('#sign-in-email').fill(who.email);
  await page.locator('#sign-in-password').fill(who.password);
  await page.locator('#sign-in-submit').click();
  await page.locator('#inbox:not([hidden])').waitFor();
  await page.locator('[data-review=""]').click();
  await page.locator('#filter-episode').fill(episode);
  return page.locator('#episode-panel');
}
