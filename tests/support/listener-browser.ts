/**
 * A browser engine as the listener's tests see it: open the page in a fresh profile, act on it
 * by CSS selector, run code in it. One implementation over puppeteer-core (Chromium, Firefox),
 * one over WebDriver (WebKitGTK), so one set of flows runs in each.
 */

export interface Viewport {
  width: number;
  height: number;
}

export interface ListenerPage {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** The browser's back button. */
  back(): Promise<void>;
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  upload(selector: string, file: string): Promise<void>;
  /** Sends one key (by its DOM name, e.g. 'End') to the element. */
  press(selector: string, key: 'End'): Promise<void>;
  /** Runs `fn(arg)` in the page and returns its (awaited, JSON-safe) result. */
  run<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Evaluates an expression in the page (for what a compiled function cannot say, e.g. import()). */
  runExpression<R>(expression: string): Promise<R>;
  screenshot(file: string): Promise<void>;
  /** Page errors and console errors seen so far (where the engine's protocol reports them). */
  readonly problems: string[];
  close(): Promise<void>;
}

export interface ListenerBrowser {
  open(viewport: Viewport): Promise<ListenerPage>;
  close(): Promise<void>;
}
