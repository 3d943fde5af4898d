import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { pageHeaders } from '../middleware/page-headers';

const PUBLIC_DIR = path.join(__dirname, '..', '..', '..', 'public');

/** The listener's pages: the recorder at / and its compact variant for iframes at /embed. */
export function pagesRouter(config: Config): Router {
  const router = Router();
  const page = pageHeaders(config, 'page');
  router.get('/embed', pageHeaders(config, 'embed'), (_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(
      path.join(PUBLIC_DIR, 'embed.html'),
      (error) => error && next(new AppError('NOT_FOUND')),
    );
  });
  router.use(
    page,
    express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }),
  );
  return router;
}

function noCacheForHtml(res: express.Response, file: string): void {
  if (file.endsWith('.html')) res.set('Cache-Control', 'no-cache');
}
