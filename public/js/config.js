// The podcast's settings from GET /api/config. The consent text must be the server's exact text (its
// hash is stored with each message), so the page does not start without it.

const TIMEOUT_MS = 15000;

function isText(value) {
  return typeof value === 'string' && value.length > 0;
}

function validate(config) {
  const ok =
    config &&
    isText(config.podcast?.name) &&
    Number.isFinite(config.limits?.maxUploadBytes) &&
    Number.isFinite(config.limits?.maxDurationSeconds) &&
    Number.isFinite(config.limits?.minDurationSeconds) &&
    isText(config.consent?.text?.de) &&
    isText(config.consent?.text?.en);
  if (!ok) throw new Error('unexpected /api/config answer');
  return config;
}

export async function loadConfig(baseUrl = document.baseURI) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(new URL('api/config', baseUrl), {
      headers: { accept: 'application/json' },
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`/api/config answered ${response.status}`);
    return validate(await response.json());
  } finally {
    clearTimeout(timer);
  }
}
