// The body HubSpot sends to a workflow action's actionUrl and optionsUrl, validated; a body that is not
// one is a 400 (HubSpot does not retry 4xx) and changes nothing.
import { z } from 'zod';
import { badRequest } from '../http/errors.ts';

const portalId = z.number().int().positive();
const id = z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,18}$/).transform(Number)]);

// Only what the action reads, and other fields dropped: a plain object schema is several times cheaper
// to check than a loose one, on the route that takes every execution of every workflow.
export const executionRequest = z.object({
  callbackId: z.string().min(1).max(255),
  origin: z.object({ portalId }),
  context: z.object({ workflowId: id.optional() }).optional(),
  object: z.object({ objectId: id, objectType: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  inputFields: z.record(z.string(), z.unknown()).default({}),
});

export type ExecutionRequest = z.infer<typeof executionRequest>;

export const optionsRequest = z.object({
  origin: z.object({ portalId }).loose(),
  inputFieldName: z.string().min(1),
  fetchOptions: z.object({ q: z.string().optional(), after: z.string().optional() }).loose().optional(),
}).loose();

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw badRequest(`Invalid request from HubSpot: ${problems.join('; ')}`);
  }
  return parsed.data;
}
