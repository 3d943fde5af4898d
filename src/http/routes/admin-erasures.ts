import { Router } from 'express';
import { z } from 'zod';
import { eraseByEmail, type ErasureDeps } from '../../submissions/erase-submission';
import { jsonBody } from '../middleware/json-body';
import { parseBody } from '../middleware/validate';

const erasureRequest = z.object({ email: z.email().max(254) }).strict();

/** A listener's erasure request by e-mail: every submission they sent with that address goes. */
export function adminErasuresRouter(deps: ErasureDeps): Router {
  const router = Router();
  router.post('/', jsonBody(), async (req, res) => {
    const { email } = parseBody(erasureRequest, req.body);
    const erased = await eraseByEmail(deps, email);
    res.json({ erased, count: erased.length });
  });
  return router;
}
