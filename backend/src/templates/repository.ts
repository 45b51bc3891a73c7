// The message_templates table: per portal, a name and 1-5 LINE message objects, used by the chat composer
// and by workflow steps. Only this file queries it; every lookup is scoped by portal.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { TemplateInput } from './template-input.ts';

export const MAX_TEMPLATES_PER_PORTAL = 200;

/** A LINE message object as stored: validated against LINE's limits when saved, sent as it is. */
export type TemplateMessage = { type: string } & Record<string, unknown>;

export interface MessageTemplate {
  id: number;
  name: string;
  messages: TemplateMessage[];
  updatedAt: number;
}

type Row = Record<string, unknown>;

const templateFromRow = (r: Row): MessageTemplate => ({
  id: Number(r.id),
  name: String(r.name),
  messages: JSON.parse(String(r.messages)) as TemplateMessage[],
  updatedAt: Number(r.updated_at),
});

export async function listTemplates(ctx: AppContext, portalId: number): Promise<MessageTemplate[]> {
  const rows = (await ctx.db('message_templates').where({ portal_id: portalId }).orderBy('name').orderBy('id')) as Row[];
  return rows.map(templateFromRow);
}

export async function findTemplate(ctx: AppContext, portalId: number, id: number): Promise<MessageTemplate | undefined> {
  const row = (await ctx.db('message_templates').where({ portal_id: portalId, id }).first()) as Row | undefined;
  return row ? templateFromRow(row) : undefined;
}

export async function createTemplate(ctx: AppContext, portalId: number, input: TemplateInput, userId?: number): Promise<MessageTemplate> {
  const count = await ctx.db('message_templates').where({ portal_id: portalId }).count({ n: '*' }).first();
  if (Number(count?.n ?? 0) >= MAX_TEMPLATES_PER_PORTAL) {
    throw new HttpError(409, 'too_many_templates', `A portal can keep at most ${MAX_TEMPLATES_PER_PORTAL} templates`);
  }
  const now = Date.now();
  const [inserted] = await ctx.db('message_templates')
    .insert({ portal_id: portalId, name: input.name, messages: JSON.stringify(input.messages), created_by_user_id: userId ?? null, created_at: now, updated_at: now })
    .returning('id');
  const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
  return { id, name: input.name, messages: input.messages as TemplateMessage[], updatedAt: now };
}

/** Replaces the template's name and messages; undefined when the portal has no template with this id. */
export async function updateTemplate(ctx: AppContext, portalId: number, id: number, input: TemplateInput): Promise<MessageTemplate | undefined> {
  const now = Date.now();
  const changed = await ctx.db('message_templates').where({ portal_id: portalId, id }).update({ name: input.name, messages: JSON.stringify(input.messages), updated_at: now });
  return changed === 1 ? { id, name: input.name, messages: input.messages as TemplateMessage[], updatedAt: now } : undefined;
}

export async function deleteTemplate(ctx: AppContext, portalId: number, id: number): Promise<boolean> {
  return (await ctx.db('message_templates').where({ portal_id: portalId, id }).delete()) === 1;
}
