import Database from "better-sqlite3";

/** Reads a SQLite file the way a user would check it: with plain queries. */
export function versionRows(file: string, table = "alembic_version"): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT version_num FROM "${table}" ORDER BY version_num`).all() as {
      version_num: string;
    }[];
    return rows.map((row) => row.version_num);
  } finally {
    db.close();
  }
}

export function tableNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    return rows.map((row) => row.name);
  } finally {
    db.close();
  }
}

export function queryAll(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
