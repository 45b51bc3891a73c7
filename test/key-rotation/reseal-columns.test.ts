// The mechanics every owner of sealed columns relies on: all rows are reached page by page, a value is
// replaced only if it is still the one read, and values no configured key opens are counted, not lost.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resealColumns, type SealedColumns } from '../../backend/src/crypto/reseal-table.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase, type Database } from '../../backend/src/db/database.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs();

const [keyA, keyB, keyC] = [randomBytes(32), randomBytes(32), randomBytes(32)];
const spec: SealedColumns = { table: 'vault', key: 'id', columns: ['secret'], contextColumns: ['owner'], context: (row) => `vault:${String(row.owner)}` };

describe('re-sealing a table', () => {
  let db: Database;
  // resealColumns works on any table: this one belongs to the test alone, so its rows are written by hand.
  beforeEach(async () => {
    db = openDatabase(`sqlite://${join(tempDir('lfh-reseal-'), 'vault.sqlite')}`);
    await db.schema.createTable('vault', (t) => {
      t.increments('id');
      t.string('owner').notNullable();
      t.text('secret').nullable();
    });
  });
  afterEach(() => db.destroy());

  it('re-seals every old value across pages, skips empty and current ones, and counts what no key opens', async () => {
    const old = new SecretBox(keyA);
    const rotated = new SecretBox(keyB, [keyA]);
    const rows = Array.from({ length: 7 }, (_, i) => ({ owner: `o${i}`, secret: old.seal(`value-${i}`, `vault:o${i}`) }));
    rows.push({ owner: 'current', secret: rotated.seal('fresh', 'vault:current') });
    rows.push({ owner: 'empty', secret: null as unknown as string });
    rows.push({ owner: 'lost', secret: new SecretBox(keyC).seal('gone', 'vault:lost') });
    await db('vault').insert(rows);

    expect(await resealColumns(db, rotated, spec, 2)).toEqual({ resealed: 7, unreadable: 1 });
    const only = new SecretBox(keyB);
    const stored = await db('vault').whereNotIn('owner', ['empty', 'lost']).orderBy('id');
    expect(stored.map((r) => only.open(r.secret, `vault:${r.owner}`))).toEqual([...Array.from({ length: 7 }, (_, i) => `value-${i}`), 'fresh']);
    expect(await resealColumns(db, rotated, spec, 2)).toEqual({ resealed: 0, unreadable: 1 });
  });

  it('keeps a value written meanwhile instead of overwriting it with the re-sealed old one', async () => {
    const old = new SecretBox(keyA);
    const rotated = new SecretBox(keyB, [keyA]);
    await db('vault').insert({ owner: 'o', secret: old.seal('before', 'vault:o') });
    const racing = new SecretBox(keyB, [keyA]);
    // A writer replaces the value between the page read and the write-back.
    const open = racing.open.bind(racing);
    racing.open = (sealed, context) => {
      const plain = open(sealed, context);
      void db('vault').where({ owner: 'o' }).update({ secret: rotated.seal('after', 'vault:o') }).then(() => undefined);
      return plain;
    };
    expect(await resealColumns(db, racing, spec)).toEqual({ resealed: 0, unreadable: 0 });
    expect(rotated.open((await db('vault').first()).secret, 'vault:o')).toBe('after');
  });
});
