// Routes that only a holder of one configured token may call (e.g. a Prometheus scraper).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

// Digests have one length whatever was sent, so the comparison takes the same time for any guess.
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Answers 401 unless the request carries `Authorization: Bearer <token>`. */
export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const sent = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return next();
    res.set('www-authenticate', 'Bearer');
    next(new HttpError(401, 'unauthorized', 'Send the metrics token as Authorization: Bearer <token>'));
  };
}
