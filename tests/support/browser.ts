import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: Playwright's own browser downloads are not reachable from here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(__dirname, '..', 'e2e', 'screenshots');

// Keeps a headless run quiet and offline: no updates, sync, safe-browsing or metrics calls.
// (Playwright adds its own --disable-features list, Translate and OptimizationHints included; a
// second --disable-features here would replace that list, not add to it.)
export const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-sync',
  '--metrics-recording-only',
  '--no-default-browser-check',
  '--no-first-run',
  '--no-pings',
];

export interface LaunchOptions {
  /** A WAV the fake microphone plays in a loop; without it the fake microphone beeps. */
  fakeMicrophoneWav?: string;
  /** Extra Chromium flags, e.g. host-resolver rules. */
  args?: string[];
}

/**
 * One headless Chromium per test file; tests open a new context each. The fake microphone is only a
 * device: a context must still be granted `permissions: ['microphone']` to use it.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  }
  const args = [...QUIET_FLAGS, '--use-fake-device-for-media-stream', ...(options.args ?? [])];
  if (options.fakeMicrophoneWav) {
    args.push(`--use-file-for-fake-audio-capture=${path.resolve(options.fakeMicrophoneWav)}`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/** Collects CSP violations and uncaught errors in the page (attach before navigating). */
export async function watchPageProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return async () => {
    const csp = await page
      .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
      .catch(() => []);
    return [...problems, ...csp.map((v) => `csp: ${v}`)];
  };
}

/** Writes a full-page screenshot to tests/e2e/screenshots/<name>.png (not compared; for eyes). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol: an added <script> tag would be inline code, which the
  // page's CSP (rightly) refuses, and that refusal would show up as a violation.
  if (!loaded) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(context ?? document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n: any) => n.target.join(' ')),
      }));
  }, selector);
}
