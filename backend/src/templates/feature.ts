// Message templates: one concept for the chat composer's saved texts and the workflow action's templates.
import type { Feature } from '../feature.ts';
import { templateRoutes } from './routes.ts';

export const templatesFeature: Feature = {
  name: 'templates',
  routes: templateRoutes,
};
