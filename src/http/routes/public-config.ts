import { Router } from 'express';
import type { Config } from '../../config';
import {
  CONSENT_VERSION,
  consentSettings,
  consentText,
  newsletterConsentText,
} from '../../submissions/consent-text';

/** What the recorder page needs to know: the podcast's look, the limits and the exact consent text. */
export function publicConfigRouter(config: Config): Router {
  const settings = consentSettings(config);
  const body = JSON.stringify({
    podcast: {
      name: config.PODCAST_NAME,
      welcome: { de: config.PODCAST_WELCOME_DE, en: config.PODCAST_WELCOME_EN },
      accentColor: config.ACCENT_COLOR,
      logoUrl: config.LOGO_URL ?? null,
      privacyUrl: config.PRIVACY_URL ?? null,
    },
    limits: {
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      maxDurationSeconds: config.MAX_DURATION_SECONDS,
      minDurationSeconds: config.MIN_DURATION_SECONDS,
    },
    consent: {
      version: CONSENT_VERSION,
      text: { de: consentText('de', settings), en: consentText('en', settings) },
      newsletterText: {
        de: newsletterConsentText('de', settings),
        en: newsletterConsentText('en', settings),
      },
    },
    retentionDays: config.RETENTION_DAYS,
    defaultLocale: config.DEFAULT_LOCALE,
  });
  const router = Router();
  router.get('/api/config', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'no-cache').send(body);
  });
  return router;
}
