// The shape of a LINE webhook body as far as storing it needs: every event must be identifiable
// (webhookEventId) and datable; everything else is kept as sent, so unknown types and fields survive.
import { z } from 'zod';

const id = z.string().min(1).max(64);

export const webhookEventSchema = z.looseObject({
  type: z.string().min(1).max(64),
  webhookEventId: id,
  timestamp: z.number().int().nonnegative(),
  mode: z.string().max(16).optional(),
  source: z
    .looseObject({
      type: z.string().max(16),
      userId: id.optional(),
      groupId: id.optional(),
      roomId: id.optional(),
    })
    .optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean().optional() }).optional(),
});

export const webhookBodySchema = z.object({
  destination: z.string().max(64),
  events: z.array(webhookEventSchema).max(1000),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The chat an event belongs to (group or room before user): its events are processed one at a time, in order. */
export function chatIdOf(event: WebhookEvent): string | undefined {
  const s = event.source;
  return s?.groupId ?? s?.roomId ?? s?.userId;
}
