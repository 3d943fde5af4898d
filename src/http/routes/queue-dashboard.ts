import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Router } from 'express';
import type { JobQueues } from '../../queue/job-queues';
import { JOB_NAMES } from '../../queue/jobs';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board's queue dashboard (waiting, active, failed jobs; retry or remove them), for the
 * owner only: mounted behind authenticate + requireRole('owner') in app.ts.
 */
export function queueDashboardRouter(queues: JobQueues): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: JOB_NAMES.map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'hallo' } },
  });
  return serverAdapter.getRouter() as Router;
}
