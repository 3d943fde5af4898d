import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../../config';
import { storageMediaOrigins } from '../../storage/media-origins';

/**
 * Security headers for hallo's pages: a strict CSP (self-hosted scripts and styles only,
 * recordings played from blob: URLs) and the microphone allowed for this origin only. The embed
 * variant may be framed by the configured origins, and lets them delegate the microphone. The
 * inbox plays clips from the bucket when they are on S3.
 */
export function pageHeaders(config: Config, variant: 'page' | 'embed' | 'inbox'): RequestHandler {
  const embedders = config.EMBED_ALLOWED_ORIGINS;
  const logoOrigin = config.LOGO_URL ? new URL(config.LOGO_URL).origin : undefined;
  const frameAncestors = variant === 'embed' ? ["'self'", ...embedders] : ["'none'"];
  const security = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(logoOrigin ? [logoOrigin] : [])],
        mediaSrc: ["'self'", 'blob:', ...(variant === 'inbox' ? storageMediaOrigins(config) : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    // frame-ancestors decides who may frame the pages; the legacy header could only say DENY.
    frameguard: variant === 'embed' ? false : { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  // The inbox records the team's voice replies.
  const microphone = ['self', ...(variant === 'embed' ? embedders.map((o) => `"${o}"`) : [])].join(
    ' ',
  );
  const permissions = `microphone=(${microphone}), camera=(), geolocation=(), payment=(), usb=()`;
  return (req, res, next) => {
    res.set('Permissions-Policy', permissions);
    security(req, res, next);
  };
}
