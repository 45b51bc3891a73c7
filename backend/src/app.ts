// Express composition: request context, JSON body parsing (raw body kept for signatures; no other body
// format is parsed, so nothing reaches a signed route that its signature did not cover), feature routes, errors.
import express, { type Express } from 'express';
import type { AppContext } from './context.ts';
import type { Feature } from './feature.ts';
import { features } from './features.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { BODY_LIMIT_BYTES } from './http/fast-routes.ts';
import { keepRawBody, lazyRequestLoggers, requestContext } from './http/request-context.ts';

export function createApp(ctx: AppContext, featureList: Feature[] = features): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  lazyRequestLoggers(app.request, ctx.logger);
  app.use(requestContext(ctx.logger, ctx.metrics));
  // Every answer is what its content type says (JSON, PNG, media): browsers must not guess otherwise.
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT_BYTES, verify: keepRawBody, type: 'application/json' }));
  for (const feature of featureList) {
    if (feature.routes) app.use(feature.routes(ctx));
  }
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
