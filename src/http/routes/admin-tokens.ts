import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiTokens } from '../../accounts/api-tokens';
import { AppError } from '../../errors';
import { principalOf } from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { parseBody } from '../middleware/validate';

const newToken = z.object({ name: z.string().trim().min(1).max(80) }).strict();

/** A signed-in person's own API tokens: create (shown once), list, revoke. */
export function adminTokensRouter(deps: { apiTokens: ApiTokens }): Router {
  const router = Router();
  const accountOf = (res: Parameters<typeof principalOf>[0]) => {
    const { accountId } = principalOf(res);
    // The ADMIN_TOKEN belongs to no account, so it has no personal tokens either.
    if (!accountId) throw new AppError('FORBIDDEN');
    return accountId;
  };

  router.get('/', async (_req, res) => {
    res.json({ items: await deps.apiTokens.list(accountOf(res)) });
  });

  router.post('/', jsonBody(), async (req, res) => {
    const { name } = parseBody(newToken, req.body);
    const { token, record } = await deps.apiTokens.create(accountOf(res), name);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...record, token });
  });

  router.delete('/:tokenId', async (req: Request<{ tokenId: string }>, res) => {
    if (!/^[0-9a-f]{16}$/.test(req.params.tokenId)) throw new AppError('NOT_FOUND');
    if (!(await deps.apiTokens.revoke(req.params.tokenId, accountOf(res))))
      throw new AppError('NOT_FOUND');
    res.status(204).end();
  });

  return router;
}
