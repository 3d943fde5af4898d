import type { Request } from 'express';

/** Longest field name the guard passes on; multer's `fieldNameSize` is set from it too. */
export const MAX_FIELD_NAME_BYTES = 32;

export class RefusedFieldName extends Error {
  constructor(readonly field: string) {
    super(`field "${field}" is not part of the form`);
  }
}

/**
 * Lets only the named, flat, single-valued text fields into the request body, refusing any other
 * at the moment its part arrives, before it is stored. Multer hands every field name to
 * append-field, which builds arrays and objects from brackets (`a[4294967294]` makes an array of
 * that length, and a later `a[b]` walks it): a form of a few flat fields needs none of that.
 *
 * Multer assigns `req.body` once and then writes each field into it; the guard wraps what it
 * assigns, so a refused name throws inside multer's own try/catch (`INVALID_FIELD_NAME`), which
 * stops parsing; multer then reads the rest of the body away (bounded by the upload's hard
 * limit) so that the client hears the answer. Bracketed names never get here: multer's
 * `fieldNestingDepth: 0` refuses them first.
 */
export function guardFormFields(req: Request, allowed: ReadonlySet<string>): () => void {
  let body: Record<string, unknown> | undefined;
  const refuse = (name: string | symbol): never => {
    throw new RefusedFieldName(String(name).slice(0, MAX_FIELD_NAME_BYTES));
  };
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get: () => body,
    set: (target: Record<string, unknown>) => {
      body = new Proxy(target, {
        set: (object, name, value) => {
          // A second value under one name would turn the field into an array.
          if (typeof name !== 'string' || !allowed.has(name) || Object.hasOwn(object, name))
            return refuse(name);
          object[name] = value;
          return true;
        },
        defineProperty: (_object, name) => refuse(name),
        setPrototypeOf: () => refuse('__proto__'),
      });
    },
  });
  // Once parsed: the plain object, with no proxy left on the request.
  return () => {
    const parsed = body === undefined ? undefined : { ...body };
    Object.defineProperty(req, 'body', {
      configurable: true,
      enumerable: true,
      writable: true,
      value: parsed,
    });
  };
}
