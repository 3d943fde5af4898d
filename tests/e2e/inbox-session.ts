import type { Page } from 'playwright-core';

/** Signs in on the inbox page as a team member would, and waits for the list. */
export async function signInToInbox(
  page: Page,
  url: string,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto(`${url}/inbox`);
  await page.locator('#sign-in:not([hidden])').waitFor();
  await page.locator('#sign-in-email').fill(who.email);
  await page.locator('#sign-in-password').fill(who.password);
  await page.locator('#sign-in-submit').click();
  await page.locator('#inbox:not([hidden])').waitFor();
}
