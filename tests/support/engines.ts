import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_PATH, QUIET_FLAGS } from './browser';

/**
 * The browser engines the listener's flows run in, each from Debian's own package and driven
 * without any download: Chromium over the DevTools protocol, Firefox over WebDriver BiDi, both by
 * puppeteer-core, so one test drives either.
 */
export type EngineName = 'chromium' | 'firefox';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

const EXECUTABLES: Record<EngineName, string> = { chromium: CHROMIUM_PATH, firefox: FIREFOX_PATH };

/** Every engine, or those named in HALLO_TEST_ENGINES (e.g. "firefox"). */
export const ENGINES: EngineName[] = (
  process.env.HALLO_TEST_ENGINES?.split(/[\s,]+/).filter(Boolean) ?? ['chromium', 'firefox']
).map((name) => {
  if (name !== 'chromium' && name !== 'firefox') throw new Error(`unknown engine ${name}`);
  return name;
});

export interface EngineOptions {
  /** 'granted' answers the page's microphone request with the fake device; 'denied' refuses it. */
  microphone: 'granted' | 'denied';
  /** A WAV Chromium's fake microphone plays (Firefox's fake device plays a 1 kHz tone). */
  fakeMicrophoneWav?: string;
}

function firefoxPrefs(options: EngineOptions): Record<string, unknown> {
  const granted = options.microphone === 'granted';
  return {
    'media.navigator.streams.fake': true,
    // The fake device needs an audio backend; a mock one stands in for the absent sound card.
    'media.cubeb.force_mock_context': true,
    'media.navigator.permission.disabled': granted,
    'permissions.default.microphone': granted ? 1 : 2,
    'media.autoplay.default': 0,
    // Scrollbars over the content, as on a phone, not beside it.
    'ui.useOverlayScrollbars': 1,
    'intl.accept_languages': 'de-DE,de',
  };
}

function chromiumArgs(options: EngineOptions): string[] {
  const args = [
    ...QUIET_FLAGS,
    '--no-sandbox',
    '--use-fake-device-for-media-stream',
    '--lang=de-DE',
    '--accept-lang=de-DE,de',
  ];
  // Without the fake UI, headless Chromium answers a microphone request as a dismissed prompt.
  if (options.microphone === 'granted') args.push('--use-fake-ui-for-media-stream');
  if (options.fakeMicrophoneWav)
    args.push(`--use-file-for-fake-audio-capture=${path.resolve(options.fakeMicrophoneWav)}`);
  return args;
}

export async function launchEngine(name: EngineName, options: EngineOptions): Promise<Browser> {
  const executablePath = EXECUTABLES[name];
  if (!existsSync(executablePath))
    throw new Error(`no ${name} at ${executablePath}: bash scripts/setup.sh --tests installs it`);
  if (name === 'firefox')
    return puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      extraPrefsFirefox: firefoxPrefs(options),
    });
  return puppeteer.launch({
    browser: 'chrome',
    executablePath,
    headless: true,
    args: chromiumArgs(options),
  });
}
