// Applies every gateway D1 migration, in order, to a miniflare D1 database (the benches' stand-in for
// `wrangler d1 migrations apply`). Statements are split on `;` except inside a CREATE TRIGGER … END block,
// whose body has `;` of its own.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Splits one migration file into statements, keeping trigger bodies whole. */
export function migrationStatements(sql) {
  const statements = [];
  let current = '';
  for (const piece of sql.replace(/--[^\n]*/g, '').split(';')) {
    current += (current ? ';' : '') + piece;
    const text = current.trim();
    if (!text) { current = ''; continue; }
    if (/^CREATE\s+TRIGGER/i.test(text) && !/\bEND\s*$/i.test(text)) continue;
    statements.push(text);
    current = '';
  }
  return statements;
}

/** Runs all migrations of `gateway/migrations` against `db`. */
export async function applyMigrations(db, root) {
  const dir = join(root, 'gateway/migrations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const statement of migrationStatements(readFileSync(join(dir, file), 'utf8'))) await db.prepare(statement).run();
  }
}
