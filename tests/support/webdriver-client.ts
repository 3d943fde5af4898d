/** The few W3C WebDriver commands the listener's tests need, over fetch. */

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's key codes for the keys the tests press. */
export const KEYS = { End: '\uE010' } as const;

export class WebDriverSession {
  private constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  static async create(base: string, capabilities: Record<string, unknown>) {
    const value = await command<{ sessionId: string }>(base, 'POST', '/session', {
      capabilities: { alwaysMatch: capabilities },
    });
    return new WebDriverSession(base, value.sessionId);
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return command<T>(this.base, method, `/session/${this.id}${path}`, body);
  }

  navigate = (url: string) => this.call<null>('POST', '/url', { url });
  refresh = () => this.call<null>('POST', '/refresh', {});
  back = () => this.call<null>('POST', '/back', {});
  setWindowSize = (width: number, height: number) =>
    this.call<unknown>('POST', '/window/rect', { width, height });
  screenshot = () => this.call<string>('GET', '/screenshot');
  delete = () => this.call<null>('DELETE', '');

  async element(selector: string): Promise<string> {
    const found = await this.call<Record<string, string>>('POST', '/element', {
      using: 'css selector',
      value: selector,
    });
    return found[ELEMENT] as string;
  }

  async click(selector: string): Promise<void> {
    await this.call('POST', `/element/${await this.element(selector)}/click`, {});
  }

  async clear(selector: string): Promise<void> {
    await this.call('POST', `/element/${await this.element(selector)}/clear`, {});
  }

  async type(selector: string, text: string): Promise<void> {
    await this.call('POST', `/element/${await this.element(selector)}/value`, { text });
  }

  /** Runs a script body; `arguments[0..]` are `args`, and its last argument is the callback. */
  executeAsync<T>(script: string, args: unknown[]): Promise<T> {
    return this.call<T>('POST', '/execute/async', { script, args });
  }
}

async function command<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok)
    throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
}
