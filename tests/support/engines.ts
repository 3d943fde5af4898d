import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_PATH, QUIET_FLAGS } from './browser';
import type { ListenerBrowser } from './listener-browser';
import { puppeteerListener } from './puppeteer-listener';
import { launchWebKit } from './webkit-listener';

/**
 * The browser engines the listener's flows run in, each from Debian's own package and driven
 * without any download: Chromium over the DevTools protocol and Firefox over WebDriver BiDi (both
 * by puppeteer-core), WebKitGTK over WebDriver.
 */
export type EngineName = 'chromium' | 'firefox' | 'webkit';
const NAMES: EngineName[] = ['chromium', 'firefox', 'webkit'];

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Every engine, or those named in HALLO_TEST_ENGINES (e.g. "firefox,webkit"). */
export const ENGINES: EngineName[] = (
  process.env.HALLO_TEST_ENGINES?.split(/[\s,]+/).filter(Boolean) ?? NAMES
).map((name) => {
  if (!NAMES.includes(name as EngineName)) throw new Error(`unknown engine ${name}`);
  return name as EngineName;
});

/** What an engine cannot be made to do here, so its test does not run there (and why). */
export const CANNOT: Partial<
  Record<EngineName, Partial<Record<'denyMicrophone' | 'phoneWidth' | 'recordValidAudio', string>>>
> = {
  webkit: {
    denyMicrophone: 'WebKitGTK grants its mock capture devices; no setting refuses them',
    phoneWidth: 'WebKitGTK windows are at least 447 px wide',
    // Seen in WebKitGTK 2.50.6 with GStreamer 1.22 (Debian 12), with and without a timeslice.
    recordValidAudio:
      "WebKitGTK's MediaRecorder writes its MP4 with ftyp twice and its last moof twice, the " +
      'first pointing into the second; ffmpeg cannot decode that fragment, so hallo refuses it',
  },
};

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

export async function launchEngine(
  name: EngineName,
  options: EngineOptions,
): Promise<ListenerBrowser> {
  if (name === 'webkit') {
    if (options.microphone === 'denied') throw new Error(CANNOT.webkit?.denyMicrophone);
    return launchWebKit();
  }
  const executablePath = name === 'firefox' ? FIREFOX_PATH : CHROMIUM_PATH;
  if (!existsSync(executablePath))
    throw new Error(`no ${name} at ${executablePath}: bash scripts/setup.sh --tests installs it`);
  const browser =
    name === 'firefox'
      ? await puppeteer.launch({
          browser: 'firefox',
          executablePath,
          headless: true,
          extraPrefsFirefox: firefoxPrefs(options),
        })
      : await puppeteer.launch({
          browser: 'chrome',
          executablePath,
          headless: true,
          args: chromiumArgs(options),
        });
  return puppeteerListener(browser);
}
