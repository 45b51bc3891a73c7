// Saved texts an agent can insert in the chat composer, per portal (GET/POST /api/templates).
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

export const MAX_TEMPLATES_PER_PORTAL = 200;

export interface ChatTemplate {
  id: number;
  name: string;
  text: string;
}

type Row = Record<string, unknown>;

const templateFromRow = (r: Row): ChatTemplate => ({ id: Number(r.id), name: String(r.name), text: String(r.text) });

export async function listTemplates(ctx: AppContext, portalId: number): Promise<ChatTemplate[]> {
  const rows = (await ctx.db('chat_templates').where({ portal_id: portalId }).orderBy('name').orderBy('id')) as Row[];
  return rows.map(templateFromRow);
}

export async function createTemplate(ctx: AppContext, portalId: number, input: { name: string; text: string }, userId?: number): Promise<ChatTemplate> {
  const count = await ctx.db('chat_templates').where({ portal_id: portalId }).count({ n: '*' }).first();
  if (Number(count?.n ?? 0) >= MAX_TEMPLATES_PER_PORTAL) {
    throw new HttpError(409, 'too_many_templates', `A portal can keep at most ${MAX_TEMPLATES_PER_PORTAL} templates`);
  }
  const [inserted] = await ctx.db('chat_templates')
    .insert({ portal_id: portalId, name: input.name, text: input.text, created_by_user_id: userId ?? null, created_at: Date.now() })
    .returning('id');
  const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
  return { id, ...input };
}
