import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import type { AccountStore } from '../../accounts/account-store';
import type { Principal, Role } from '../../accounts/account';
import type { ApiTokens } from '../../accounts/api-tokens';
import type { SessionStore } from '../../accounts/session-store';
import { AppError } from '../../errors';
import { isSameOrigin } from './same-origin';

export const SESSION_COOKIE = 'hallo_session';

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface AuthDeps {
  config: { ADMIN_TOKEN?: string | undefined; PUBLIC_URL: string };
  accounts: AccountStore;
  sessions: SessionStore;
  apiTokens: ApiTokens;
}

export const principalOf = (res: Response): Principal => {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new AppError('UNAUTHORIZED');
  return principal;
};

export const sessionIdOf = (req: Request): string | undefined =>
  parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];

async function fromBearer(deps: AuthDeps, token: string): Promise<Principal | undefined> {
  const admin = deps.config.ADMIN_TOKEN;
  if (admin !== undefined && timingSafeEqual(digest(token), digest(admin))) {
    return { kind: 'admin-token', role: 'owner', name: 'admin-token' };
  }
  const record = await deps.apiTokens.verify(token);
  const account = record && (await deps.accounts.get(record.accountId));
  return (
    account && { kind: 'api-token', role: account.role, name: account.email, accountId: account.id }
  );
}

async function fromSession(deps: AuthDeps, req: Request): Promise<Principal | undefined> {
  const sessionId = sessionIdOf(req);
  const accountId = sessionId && (await deps.sessions.resolve(sessionId));
  const account = accountId && (await deps.accounts.get(accountId));
  return account
    ? { kind: 'session', role: account.role, name: account.email, accountId: account.id }
    : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking: a bearer token (ADMIN_TOKEN or a personal API token) or a session cookie. A
 * cookie is sent by the browser on its own, so a state-changing request that carries one must also
 * come from our own pages (CSRF); bearer tokens are never sent on their own and need no check.
 */
export function authenticate(deps: AuthDeps): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const principal = bearer ? await fromBearer(deps, bearer) : await fromSession(deps, req);
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer realm="hallo"');
      return next(new AppError('UNAUTHORIZED'));
    }
    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method)) {
      if (!isSameOrigin(req, deps.config.PUBLIC_URL))
        return next(new AppError('CROSS_SITE_REQUEST'));
    }
    res.locals.principal = principal;
    next();
  };
}

/** Lets only these roles through (after authenticate). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) =>
    next(roles.includes(principalOf(res).role) ? undefined : new AppError('FORBIDDEN'));
}
