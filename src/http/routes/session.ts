import { parse as parseCookies } from 'cookie';
import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AccountStore } from '../../accounts/account-store';
import { KnownDevices } from '../../accounts/known-devices';
import { LoginThrottle } from '../../accounts/login-throttle';
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

/** The cookie that marks a browser its account has signed in from before (known-devices.ts). */
export const DEVICE_COOKIE = 'hallo_device';
const DEVICE_DAYS = 365;

/** Signing in and out of the inbox: POST, GET and DELETE /api/session. */
export function sessionRouter(deps: SessionDeps): Router {
  const { config } = deps;
  const router = Router();
  const windowSeconds = config.LOGIN_WINDOW_MINUTES * 60;
  const throttle = new LoginThrottle(deps.redis, config.REDIS_PREFIX, {
    freeFailures: config.LOGIN_ATTEMPTS_PER_ACCOUNT,
    windowSeconds,
  });
  const devices = new KnownDevices(deps.redis, config.REDIS_PREFIX, DEVICE_DAYS * 86400);
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
    // Failed sign-ins per client address; a successful one costs nothing.
    limitRequests({
      redis: deps.redis,
      prefix: config.REDIS_PREFIX,
      windowSeconds,
      name: 'login-ip',
      limit: config.LOGIN_ATTEMPTS_PER_IP,
      countOnlyFailures: true,
      code: 'LOGIN_THROTTLED',
    }),
    async (req, res) => {
      const { email, password } = parseBody(credentials, req.body);
      const account = await deps.accounts.getByEmail(email);
      const deviceId = parseCookies(req.headers.cookie ?? '')[DEVICE_COOKIE];
      // Guesses against the account slow down strangers, never a browser it signed in from.
      if (!(account && (await devices.isKnown(account.id, deviceId)))) {
        const wait = await throttle.waitSeconds(email);
        if (wait > 0)
          throw new AppError(
            'LOGIN_THROTTLED',
            { retryAfterSeconds: wait },
            { retryAfterSeconds: wait },
          );
      }
      const valid = account
        ? await verifyPassword(account.passwordHash, password)
        : await verifyAgainstDecoy(password);
      if (!account || !valid) {
        await throttle.recordFailure(email);
        throw new AppError('LOGIN_FAILED');
      }
      const previous = sessionIdOf(req);
      if (previous) await deps.sessions.destroy(previous);
      const sessionId = await deps.sessions.create(account.id);
      res.cookie(SESSION_COOKIE, sessionId, {
        ...cookieOptions(req),
        maxAge: config.SESSION_MAX_HOURS * 3600 * 1000,
      });
      res.cookie(DEVICE_COOKIE, await devices.remember(account.id, deviceId), {
        ...cookieOptions(req),
        // Only the sign-in reads it.
        path: '/api/session',
        maxAge: DEVICE_DAYS * 86400 * 1000,
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
