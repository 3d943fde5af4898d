import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../../config';
import { pageHeaders } from '../middleware/page-headers';

const PUBLIC_DIR = path.join(__dirname, '..', '..', '..', 'public');
const PAGE_VARIANT = 'data-variant="page"';

/**
 * The embed variant is the recorder's own markup with another variant on <body>: one file to
 * keep, read once at start.
 */
function embedMarkup(): string {
  const page = readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8');
  if (!page.includes(PAGE_VARIANT)) throw new Error(`public/index.html lacks ${PAGE_VARIANT}`);
  return page.replace(PAGE_VARIANT, 'data-variant="embed"');
}

/**
 * The listener's pages (the recorder at /, its iframe variant at /embed, a reply at /r/<token>)
 * and the team's /inbox.
 */
export function pagesRouter(config: Config): Router {
  const router = Router();
  const embed = embedMarkup();
  router.get('/embed', pageHeaders(config, 'embed'), (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(embed);
  });
  // The team's inbox: a page that signs in and then talks to /api/admin.
  router.get('/inbox', pageHeaders(config, 'inbox'), (_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(PUBLIC_DIR, 'inbox.html'), (error) => error && next(error));
  });
  // A listener's private reply page: one page for every link, which asks the API what it opens.
  router.get('/r/:token', pageHeaders(config, 'page'), (_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' });
    res.sendFile(path.join(PUBLIC_DIR, 'reply.html'), (error) => error && next(error));
  });
  router.use(
    pageHeaders(config, 'page'),
    express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }),
  );
  return router;
}

function noCacheForHtml(res: express.Response, file: string): void {
  if (file.endsWith('.html')) res.set('Cache-Control', 'no-cache');
}
