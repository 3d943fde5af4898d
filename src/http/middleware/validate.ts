import type { z } from 'zod';
import { AppError } from '../../errors';

function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: 'INVALID_QUERY' | 'INVALID_BODY',
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.');
  throw new AppError(code, { detail: `${where ? `${where}: ` : ''}${issue?.message}` });
}

/** The query string as the schema says, or a 400 INVALID_QUERY naming the first problem. */
export const parseQuery = <S extends z.ZodType>(schema: S, query: unknown) =>
  parse(schema, query, 'INVALID_QUERY');

/** The JSON body as the schema says, or a 400 INVALID_BODY naming the first problem. */
export const parseBody = <S extends z.ZodType>(schema: S, body: unknown) =>
  parse(schema, body ?? {}, 'INVALID_BODY');
