import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchPageProblems } from '../support/browser';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import {
  expectNoPageProblems,
  fillDetails,
  openRecorder,
  record,
  sendAndWait,
  submissionsNamed,
} from './recorder-page';

const PUBLIC = path.join(__dirname, '..', '..', 'public');

/**
 * The podcast's own site, on another origin: a second local server, so that Chrome's local-network
 * rules see two local origins (a made-up public origin may not frame a loopback one).
 */
async function startPodcastSite(
  embedUrl: () => string,
): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const allow = req.url?.includes('allow') ? ' allow="microphone"' : '';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="de"><title>Podcast</title><h1>Unser Podcast</h1>
      <iframe src="${embedUrl()}" title="Sprachnachricht"${allow} width="400" height="900"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function pageLanguage(page: Page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    heading: document.querySelector('h1')?.textContent,
    consent: document.getElementById('consent-text')?.textContent,
    pressed: [...document.querySelectorAll('[data-locale]')].map(
      (b) => `${(b as HTMLElement).dataset.locale}=${b.getAttribute('aria-pressed')}`,
    ),
    title: document.title,
  }));
}

// Both languages, the switch, and the embed variant inside another site's iframe.
describe('recorder page: languages and embedding', () => {
  let hallo: Harness;
  let browser: Browser;
  let config: any;
  let site: { origin: string; server: Server };

  beforeAll(async () => {
    site = await startPodcastSite(() => `${hallo.url}/embed?topic=Iframe`);
    [hallo, browser] = await Promise.all([
      startHallo({
        driver: 'disk',
        worker: false,
        env: {
          PODCAST_NAME: 'Hallo Welt',
          ACCENT_COLOR: '#aa3300',
          PRIVACY_URL: 'https://podcast.example/datenschutz',
          EMBED_ALLOWED_ORIGINS: site.origin,
        },
      }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
    config = await (await fetch(`${hallo.url}/api/config`)).json();
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    site?.server.close();
  });

  it('speaks German to a German browser, English to others, and switches on request', async () => {
    const german = await openRecorder(browser, hallo.url, { locale: 'de-DE' });
    try {
      expect(await pageLanguage(german.page)).toEqual({
        lang: 'de',
        heading: 'Schick uns eine Sprachnachricht',
        consent: config.consent.text.de,
        pressed: ['de=true', 'en=false'],
        title: 'Sprachnachricht senden – Hallo Welt',
      });
      expect(await german.page.locator('#privacy-link').getAttribute('href')).toBe(
        'https://podcast.example/datenschutz',
      );
      await expectNoPageProblems(german);
    } finally {
      await german.context.close();
    }

    const french = await openRecorder(browser, hallo.url, { locale: 'fr-FR' });
    try {
      expect((await pageLanguage(french.page)).lang).toBe('en');
    } finally {
      await french.context.close();
    }

    const english = await openRecorder(browser, hallo.url, { locale: 'en-US' });
    const { page } = english;
    try {
      expect(await pageLanguage(page)).toEqual({
        lang: 'en',
        heading: 'Send us a voice message',
        consent: config.consent.text.en,
        pressed: ['de=false', 'en=true'],
        title: 'Send a voice message – Hallo Welt',
      });
      await page.locator('[data-locale=de]').click();
      expect(await pageLanguage(page)).toEqual({
        lang: 'de',
        heading: 'Schick uns eine Sprachnachricht',
        consent: config.consent.text.de,
        pressed: ['de=true', 'en=false'],
        title: 'Sprachnachricht senden – Hallo Welt',
      });
      expect(await page.locator('#record-hint').textContent()).toBe(
        'Bis zu 5 Minuten. Du kannst sie dir vor dem Senden anhören.',
      );
      // The message goes out in the language the listener chose, with that consent text.
      await page.locator('#audio-file').setInputFiles(fixture('speech.mp3'));
      await page.locator('#rec-done').waitFor();
      await fillDetails(page, { name: 'Greta Sprache' });
      expect(await sendAndWait(page)).toBe(201);
      const [item] = await submissionsNamed(hallo, 'Greta Sprache');
      const stored = await hallo.adminJson(`/api/admin/submissions/${item.id}`);
      expect(stored.locale).toBe('de');
      expect(stored.consent.version).toBe(config.consent.version);
      await expectNoPageProblems(english);
    } finally {
      await english.context.close();
    }
  });

  it('serves the embed variant with the same markup and a strict CSP', async () => {
    const index = readFileSync(path.join(PUBLIC, 'index.html'), 'utf8');
    const embed = await (await fetch(`${hallo.url}/embed`)).text();
    // One markup: the embed differs only in the variant on <body>.
    expect(embed).toBe(index.replace('data-variant="page"', 'data-variant="embed"'));

    for (const pathname of ['/', '/embed']) {
      const response = await fetch(`${hallo.url}${pathname}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      for (const directive of ["script-src 'self'", "style-src 'self'", "media-src 'self' blob:"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe');
    }
  });

  it('records and sends from inside an iframe on the podcast site, and guides when the site forgot allow="microphone"', async () => {
    const context = await browser.newContext({ locale: 'de-DE', permissions: ['microphone'] });
    context.setDefaultTimeout(15000);
    try {
      const page = await context.newPage();
      const problems = await watchPageProblems(page);
      await page.goto(`${site.origin}/episode?allow`);
      const frame = page.frameLocator('iframe');
      await frame.locator('#message-form:not([hidden])').waitFor();
      expect(await frame.locator('body').getAttribute('data-variant')).toBe('embed');
      expect(await frame.locator('#open-full').isVisible()).toBe(true);
      const embedded = page.frames().find((f) => f.url().includes('/embed'))!;
      await record(embedded, 2);
      await fillDetails(embedded, { name: 'Hugo Iframe' });
      expect(await sendAndWait(page, embedded)).toBe(201);
      await frame.locator('#thanks').waitFor();
      const [item] = await submissionsNamed(hallo, 'Hugo Iframe');
      expect(item.topic).toBe('Iframe');
      expect(await problems()).toEqual([]);

      await page.goto(`${site.origin}/episode`);
      await frame.locator('#guidance').waitFor();
      expect(await frame.locator('#guidance-text').textContent()).toBe(
        'Diese eingebettete Ansicht darf das Mikrofon nicht benutzen. Öffne die Aufnahmeseite in einem eigenen Fenster.',
      );
      expect(await frame.locator('#guidance-open').getAttribute('href')).toBe('./?topic=Iframe');
      expect(await frame.locator('#record').isHidden()).toBe(true);
      expect(await frame.locator('#file-area').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
