/**
 * The SPEC's seed migration, upgrade then downgrade, run through `op` on a
 * real server; and typed values (bulkInsert with a declared table, native
 * UUID, enum, json/jsonb) read back.
 */
import {
  boolean,
  column,
  dateTime,
  enumType,
  integer,
  json,
  jsonb,
  primaryKey,
  sql,
  string,
  table,
  uuid,
} from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";
import { operationsOn, snapshotSchema } from "./test-support/schema-inspection.js";

const driver = new PostgresDriver();
let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_spec");
  connection = await driver.connect(database.url);
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

describe("the SPEC's seed migration on PostgreSQL", () => {
  it("upgrades in a transaction, then downgrades to the schema it started from", async () => {
    const op = operationsOn(driver, connection);
    await op.createTable("users", column("id", integer(), { primaryKey: true, autoincrement: true }));
    const before = await snapshotSchema(connection);

    await connection.begin();
    await op.createTable(
      "user_settings",
      column("id", integer(), { nullable: false }),
      column("user_id", integer(), { nullable: false, references: "users.id" }),
      column("language", string(10), { serverDefault: "en" }),
      column("timezone", string(50), { serverDefault: "UTC" }),
      column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
      primaryKey("id"),
    );
    await op.createIndex("ix_user_settings_user_id", "user_settings", ["user_id"]);
    await connection.commit();

    const after = await snapshotSchema(connection);
    expect(after.tables).toHaveProperty("user_settings");
    expect(after.columns).toMatchObject({
      "user_settings.id": { type: "integer", notNull: true, default: null },
      "user_settings.user_id": { type: "integer", notNull: true },
      "user_settings.language": { type: "character varying(10)", notNull: false, default: "'en'::character varying" },
      "user_settings.timezone": { type: "character varying(50)", default: "'UTC'::character varying" },
      "user_settings.created_at": { type: "timestamp with time zone", default: "now()" },
    });
    expect(after.constraints).toMatchObject({
      "user_settings.user_settings_pkey": "PRIMARY KEY (id)",
      "user_settings.user_settings_user_id_fkey": "FOREIGN KEY (user_id) REFERENCES users(id)",
    });
    expect(after.indexes.ix_user_settings_user_id).toBe(
      "CREATE INDEX ix_user_settings_user_id ON public.user_settings USING btree (user_id)",
    );

    await connection.execute("INSERT INTO users DEFAULT VALUES");
    await connection.execute("INSERT INTO user_settings (id, user_id) VALUES (1, 1)");
    const { rows } = await connection.query<{ language: string; timezone: string; created_at: Date }>(
      "SELECT language, timezone, created_at FROM user_settings",
    );
    expect(rows[0]).toMatchObject({ language: "en", timezone: "UTC" });
    expect(rows[0]?.created_at).toBeInstanceOf(Date);
    await expect(connection.execute("INSERT INTO user_settings (id, user_id) VALUES (2, 99)")).rejects.toThrow(
      /foreign key constraint "user_settings_user_id_fkey" \(23503\)/,
    );

    await connection.begin();
    await op.dropIndex("ix_user_settings_user_id", { table: "user_settings" });
    await op.dropTable("user_settings");
    await connection.commit();
    expect(await snapshotSchema(connection)).toEqual(before);
  });
});

describe("typed values on PostgreSQL", () => {
  it("bulk-inserts through a declared table and reads json, boolean, timestamps, uuid and enums back", async () => {
    const op = operationsOn(driver, connection);
    const events = table(
      "events",
      column("id", uuid(), { primaryKey: true, serverDefault: sql`gen_random_uuid()` }),
      column("payload", json()),
      column("tags", jsonb()),
      column("active", boolean(), { nullable: false }),
      column("at", dateTime({ timezone: true })),
      column("local_at", dateTime()),
      column("level", enumType("event_level", ["debug", "info", "error"])),
    );
    await op.invoke({ kind: "createTable", table: events });
    const id = "7d444840-9dc0-11d1-b245-5ffdce74fad2";
    const at = new Date("2024-05-06T07:08:09.123Z");
    await op.bulkInsert(events, [
      {
        id,
        payload: { nested: [1, "two", null], ok: true },
        tags: ["a", "b"],
        active: true,
        at,
        local_at: new Date("2024-01-02T03:04:05Z"),
        level: "error",
      },
      { payload: [1, 2], tags: { k: "v" }, active: false, at: null, level: "debug" },
    ]);

    const snapshot = await snapshotSchema(connection);
    expect(snapshot.columns).toMatchObject({
      "events.id": { type: "uuid", default: "gen_random_uuid()" },
      "events.payload": { type: "json" },
      "events.tags": { type: "jsonb" },
      "events.level": { type: "event_level" },
    });
    expect(snapshot.enums.event_level).toEqual(["debug", "info", "error"]);

    const { rows } = await connection.query<Record<string, unknown>>(
      `SELECT id, payload, tags, active, at, to_char(local_at, 'YYYY-MM-DD HH24:MI:SS') AS local_at, level,
              pg_typeof(id)::text AS id_type
         FROM events ORDER BY active DESC`,
    );
    expect(rows[0]).toEqual({
      id,
      payload: { nested: [1, "two", null], ok: true },
      tags: ["a", "b"],
      active: true,
      at,
      local_at: "2024-01-02 03:04:05",
      level: "error",
      id_type: "uuid",
    });
    expect(rows[1]).toMatchObject({ payload: [1, 2], tags: { k: "v" }, active: false, at: null, level: "debug" });
    expect(rows[1]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
