import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics';
import type { ProcessSlots } from '../audio/process-slots';
import type { Drain } from './drain';
import type { IntakeLoad } from './limits/intake-load';
import type { UploadTraffic } from './limits/upload-traffic';
import type { IntakeDeps } from '../submissions/receive-submission';
import { authenticate, requireRole, type AuthDeps } from './middleware/authenticate';
import { errorHandler, notFound } from './middleware/error-handler';
import { recordMetrics } from './middleware/record-metrics';
import { adminDownloadsRouter } from './routes/admin-downloads';
import type { EpisodeDocuments } from '../episodes/episode-documents';
import type { Jingles } from '../episodes/jingles';
import { adminEpisodesRouter } from './routes/admin-episodes';
import { adminErasuresRouter } from './routes/admin-erasures';
import { adminJinglesRouter } from './routes/admin-jingles';
import { adminRepliesRouter } from './routes/admin-replies';
import { replyLinksRouter } from './routes/reply-links';
import type { ReplyDocuments } from '../replies/reply-documents';
import type { LinkOutbox } from '../replies/reply-link';
import type { Mailer } from '../notifications/mailer';
import { adminSubmissionsRouter } from './routes/admin-submissions';
import { adminTranscriptsRouter } from './routes/admin-transcripts';
import { adminTokensRouter } from './routes/admin-tokens';
import { healthRouter } from './routes/health';
import { metricsRouter } from './routes/metrics';
import { pagesRouter } from './routes/pages';
import { publicConfigRouter } from './routes/public-config';
import { QUEUE_DASHBOARD_PATH, queueDashboardRouter } from './routes/queue-dashboard';
import { sessionRouter } from './routes/session';
import { submissionsRouter } from './routes/submissions';

export interface AppDeps extends IntakeDeps, Omit<AuthDeps, 'config'> {
  redis: Redis;
  tempDir: string;
  metrics: Metrics;
  uploadTraffic: UploadTraffic;
  intakeLoad: IntakeLoad;
  arrivingInspections: ProcessSlots;
  replies: ReplyDocuments;
  outbox: LinkOutbox;
  mailer: Mailer;
  episodes: EpisodeDocuments;
  jingles: Jingles;
  /** Set by the server that runs the app, so /readyz can tell when it is shutting down. */
  drain?: Drain;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `/path?q=Anna&limit=50` as `/path?q=…&limit=…`: which parameters, not what they held; and a
 * reply page's `/r/<token>` as `/r/…`, since the path is the link.
 */
function withoutQueryValues(rawUrl: string): string {
  const url = rawUrl.replace(/^\/r\/[^/?#]*/, '/r/…');
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => pair.split('=')[0]?.slice(0, 40) ?? '');
  return `${url.slice(0, at)}?${names.map((n) => `${n}=…`).join('&')}`;
}

/** Builds the Express app; never listens (tests use it on port 0, server.ts in production). */
export function buildApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // Only what says which request it was: headers carry cookies, tokens and signed links,
      // and query values can carry a listener's name (the inbox search).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: withoutQueryValues(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  app.use(recordMetrics(deps.metrics));
  app.use(healthRouter(deps));
  app.use(metricsRouter(deps.metrics, config.METRICS_TOKEN));
  app.use('/api/submissions', submissionsRouter(deps));
  app.use('/api/replies', replyLinksRouter(deps));
  app.use('/api/session', sessionRouter(deps));
  app.use('/api/admin', authenticate(deps));
  app.use('/api/admin', adminDownloadsRouter(deps));
  app.use('/api/admin/episodes', adminEpisodesRouter(deps));
  app.use('/api/admin/jingles', adminJinglesRouter(deps));
  app.use('/api/admin/submissions', adminRepliesRouter(deps));
  app.use('/api/admin/submissions', adminTranscriptsRouter(deps));
  app.use('/api/admin/submissions', adminSubmissionsRouter(deps));
  app.use('/api/admin/erasures', requireRole('owner'), adminErasuresRouter(deps));
  app.use('/api/admin/tokens', adminTokensRouter(deps));
  app.use(
    QUEUE_DASHBOARD_PATH,
    authenticate(deps),
    requireRole('owner'),
    queueDashboardRouter(deps.queues),
  );
  app.use(publicConfigRouter(config));
  app.use('/api', notFound);
  app.use(pagesRouter(config));
  app.use(notFound);
  app.use(errorHandler(deps.logger, config.DEFAULT_LOCALE));
  return app;
}
