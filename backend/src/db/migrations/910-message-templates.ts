import type { Knex } from 'knex';
import { dialectOf } from '../database.ts';

// Message templates (issue 11): one concept for the chat panel's saved texts and the workflow action's
// templates. A template holds 1-5 LINE message objects (JSON); a saved text becomes a template of one text
// message with the same id and name, so a composer or a workflow step naming it still finds it.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('message_templates', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.text('messages').notNullable();
    t.bigInteger('created_by_user_id').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['portal_id', 'id']);
  });
  const saved = (await db('chat_templates').orderBy('id')) as Array<Record<string, unknown>>;
  for (let i = 0; i < saved.length; i += 200) {
    await db('message_templates').insert(
      saved.slice(i, i + 200).map((r) => ({
        id: r.id,
        portal_id: r.portal_id,
        name: r.name,
        messages: JSON.stringify([{ type: 'text', text: r.text }]),
        created_by_user_id: r.created_by_user_id,
        created_at: r.created_at,
        updated_at: r.created_at,
      })),
    );
  }
  // Ids were copied, so PostgreSQL's sequence must move past them or the next insert collides.
  if (saved.length > 0 && dialectOf(db) === 'postgres') {
    await db.raw(`SELECT setval(pg_get_serial_sequence('message_templates', 'id'), (SELECT MAX(id) FROM message_templates))`);
  }
  await db.schema.dropTable('chat_templates');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.createTable('chat_templates', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.text('text').notNullable();
    t.bigInteger('created_by_user_id').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['portal_id', 'id']);
  });
  // Only templates of one text message were saved texts; the others cannot be expressed there.
  const rows = (await db('message_templates').orderBy('id')) as Array<Record<string, unknown>>;
  for (const r of rows) {
    const messages = JSON.parse(String(r.messages)) as Array<{ type: string; text?: string }>;
    if (messages.length !== 1 || messages[0].type !== 'text') continue;
    await db('chat_templates').insert({ id: r.id, portal_id: r.portal_id, name: r.name, text: messages[0].text, created_by_user_id: r.created_by_user_id, created_at: r.created_at });
  }
  if (rows.length > 0 && dialectOf(db) === 'postgres') {
    await db.raw(`SELECT setval(pg_get_serial_sequence('chat_templates', 'id'), (SELECT COALESCE(MAX(id), 1) FROM chat_templates))`);
  }
  await db.schema.dropTable('message_templates');
}
