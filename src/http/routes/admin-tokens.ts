import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AccountStore } from '../../accounts/account-store';
import type { ApiTokens } from '../../accounts/api-tokens';
import { AppError } from '../../errors';
import { principalOf } from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { parseBody, parseQuery } from '../middleware/validate';

const newToken = z.object({ name: z.string().trim().min(1).max(80) }).strict();
const listQuery = z.object({ all: z.enum(['true', 'false']).optional() }).strict();

/**
 * Personal API tokens: created (shown once) only by a person signed in to the inbox, so no token
 * can mint another; listed and revoked by their account, and by the owner for every account.
 */
export function adminTokensRouter(deps: { apiTokens: ApiTokens; accounts: AccountStore }): Router {
  const router = Router();
  const accountOf = (res: Response) => {
    const { accountId } = principalOf(res);
    // The ADMIN_TOKEN belongs to no account, so it has no personal tokens either.
    if (!accountId) throw new AppError('FORBIDDEN');
    return accountId;
  };
  const isOwner = (res: Response) => principalOf(res).role === 'owner';

  router.get('/', async (req, res) => {
    const everyone = parseQuery(listQuery, req.query).all === 'true';
    if (everyone && !isOwner(res)) throw new AppError('FORBIDDEN');
    const items = await deps.apiTokens.list(everyone ? undefined : accountOf(res));
    if (!everyone) return res.json({ items });
    const emails = new Map((await deps.accounts.list()).map((a) => [a.id, a.email]));
    res.json({ items: items.map((t) => ({ ...t, email: emails.get(t.accountId) ?? null })) });
  });

  router.post('/', jsonBody(), async (req, res) => {
    if (principalOf(res).kind !== 'session') throw new AppError('SESSION_REQUIRED');
    const { name } = parseBody(newToken, req.body);
    const { token, record } = await deps.apiTokens.create(accountOf(res), name);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...record, token });
  });

  router.delete('/:tokenId', async (req: Request<{ tokenId: string }>, res) => {
    if (!/^[0-9a-f]{16}$/.test(req.params.tokenId)) throw new AppError('NOT_FOUND');
    const onlyOf = isOwner(res) ? undefined : accountOf(res);
    if (!(await deps.apiTokens.revoke(req.params.tokenId, onlyOf))) throw new AppError('NOT_FOUND');
    res.status(204).end();
  });

  return router;
}
