import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { normalizeEmail } from '../../accounts/account';
import type { AccountStore } from '../../accounts/account-store';
import { verifyAgainstDecoy, verifyPassword } from '../../accounts/passwords';
import type { SessionStore } from '../../accounts/session-store';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import {
  authenticate,
  principalOf,
  SESSION_COOKIE,
  sessionIdOf,
  type AuthDeps,
} from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { limitRequests } from '../limits/rate-limit';
import { isSameOrigin } from '../middleware/same-origin';
import { parseBody } from '../middleware/validate';

const credentials = z
  .object({ email: z.string().max(254), password: z.string().max(1024) })
  .strict();

export interface SessionDeps extends AuthDeps {
  config: Config;
  redis: Redis;
  accounts: AccountStore;
  sessions: SessionStore;
}

const emailOfBody = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : undefined;
};

/** Signing in and out of the inbox: POST, GET and DELETE /api/session. */
export function sessionRouter(deps: SessionDeps): Router {
  const { config } = deps;
  const router = Router();
  const window = {
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
    windowSeconds: config.LOGIN_WINDOW_MINUTES * 60,
  };
  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.secure || config.PUBLIC_URL.startsWith('https:'),
    path: '/',
  });

  router.post(
    '/',
    // A login form posted from another site would sign the victim in as the attacker.
    (req, _res, next) =>
      next(isSameOrigin(req, config.PUBLIC_URL) ? undefined : new AppError('CROSS_SITE_REQUEST')),
    jsonBody(),
    limitRequests({ ...window, name: 'login-ip', limit: config.LOGIN_ATTEMPTS_PER_IP }),
    limitRequests({
      ...window,
      name: 'login-account',
      limit: config.LOGIN_ATTEMPTS_PER_ACCOUNT,
      keyOf: emailOfBody,
    }),
    async (req, res) => {
      const { email, password } = parseBody(credentials, req.body);
      const account = await deps.accounts.getByEmail(email);
      const valid = account
        ? await verifyPassword(account.passwordHash, password)
        : await verifyAgainstDecoy(password);
      if (!account || !valid) throw new AppError('LOGIN_FAILED');
      const previous = sessionIdOf(req);
      if (previous) await deps.sessions.destroy(previous);
      const sessionId = await deps.sessions.create(account.id);
      res.cookie(SESSION_COOKIE, sessionId, {
        ...cookieOptions(req),
        maxAge: config.SESSION_MAX_HOURS * 3600 * 1000,
      });
      req.log?.info({ accountId: account.id }, 'signed in');
      res.json({ email: account.email, role: account.role });
    },
  );

  router.get('/', authenticate(deps), (_req, res) => {
    const { name, role, kind } = principalOf(res);
    res.set('Cache-Control', 'no-store').json({ email: name, role, kind });
  });

  router.delete('/', authenticate(deps), async (req, res) => {
    const sessionId = sessionIdOf(req);
    if (sessionId) await deps.sessions.destroy(sessionId);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  return router;
}
