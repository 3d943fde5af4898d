import type { Request } from 'express';
import { isLocale, localeFromAcceptLanguage, type Locale } from '../i18n/locale';

/**
 * The language to answer in: one a route already knows (a reply link's listener), the form's
 * `locale`, then `?locale=`, then Accept-Language.
 */
export function requestLocale(req: Request, fallback: Locale): Locale {
  const known = (req.res?.locals as { locale?: unknown } | undefined)?.locale;
  if (isLocale(known)) return known;
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body?.locale;
  if (isLocale(fromBody)) return fromBody;
  const fromQuery = req.query?.locale;
  if (isLocale(fromQuery)) return fromQuery;
  return localeFromAcceptLanguage(req.headers['accept-language'], fallback);
}
