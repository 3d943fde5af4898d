import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'hallo',
      STORAGE_DRIVER: 'disk',
      STORAGE_DIR: './storage',
      MAX_UPLOAD_BYTES: 100 * 1024 * 1024,
      MAX_DURATION_SECONDS: 300,
      MIN_DURATION_SECONDS: 1,
      LOUDNESS_TARGET_LUFS: -16,
      TRUE_PEAK_DBTP: -1.5,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        STORAGE_DRIVER: 's3',
        LOUDNESS_TARGET_LUFS: '3',
        ADMIN_TOKEN: 'short',
        WEBHOOK_URLS: 'https://hooks.example/a',
        MAIL_TO: 'redaktion@example.org',
        TIMEZONE: 'Mars/Olympus',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'S3_BUCKET',
      'LOUDNESS_TARGET_LUFS',
      'ADMIN_TOKEN',
      'WEBHOOK_SECRET',
      'SMTP_URL',
      'TIMEZONE',
    ])
      expect(problems).toContain(name);
  });

  it('parses S3 settings and booleans', () => {
    const config = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'b',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect(config.S3_FORCE_PATH_STYLE).toBe(true);
    expect(config.S3_ENDPOINT).toBe('http://127.0.0.1:9000');
  });
});

describe('.env.example', () => {
  it('loads as it is: every variable it lists is valid, empty ones take their defaults', () => {
    const text = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const env = parseEnv(text) as NodeJS.ProcessEnv;
    expect(Object.keys(env).length).toBeGreaterThan(30);
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('documents every variable the schema reads', () => {
    const text = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = new Set(Object.keys(parseEnv(text)));
    const read = Object.keys(loadConfig({})).filter((name) => name !== 'NODE_ENV');
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
