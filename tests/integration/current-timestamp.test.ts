import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * `currentTimestamp()`, `currentDate()` and `currentTime()` as server
 * defaults and as bulkInsert values, with the same migration on every
 * database (``sql`now()` `` fails every insert on SQLite).
 */
const migration = `/** events */
import type { Operations } from "@retort/core";
import { column, currentDate, currentTime, currentTimestamp, date, dateTime, integer, string, time } from "@retort/core";

export const revision = "c000";
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;
export const message = "events";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    "events",
    column("id", integer(), { primaryKey: true }),
    column("name", string(20)),
    column("created_at", dateTime(), { serverDefault: currentTimestamp() }),
    column("on_day", date(), { serverDefault: currentDate() }),
    column("at_time", time(), { serverDefault: currentTime() }),
  );
  await op.bulkInsert("events", [
    { id: 1, name: "defaults" },
    { id: 2, name: "values", created_at: currentTimestamp(), on_day: currentDate(), at_time: currentTime() },
  ]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("events");
}
`;

const isoDay = /^\d{4}-\d{2}-\d{2}/;
const clock = /^\d{2}:\d{2}:\d{2}/;

function text(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

for (const harness of harnesses) {
  describe(`portable current date and time on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.write("migrations/versions/c000_events.ts", migration);
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("fills defaults and values in a migration and in later inserts", async () => {
      project.ok("upgrade", "head");
      await probe.query("INSERT INTO events (id, name) VALUES (3, 'later')");
      const rows = await probe.query("SELECT id, created_at, on_day, at_time FROM events ORDER BY id");
      expect(rows.map((row) => Number(row.id))).toEqual([1, 2, 3]);
      for (const row of rows) {
        expect(text(row.created_at)).toMatch(isoDay);
        expect(text(row.on_day)).toMatch(isoDay);
        expect(text(row.at_time)).toMatch(clock);
      }
      project.ok("downgrade", "base");
      expect(await probe.tableExists("events")).toBe(false);
    });

    it("writes each function in the dialect's spelling in --sql scripts", () => {
      const script = project.ok("upgrade", "--sql", "base:head");
      expect(script).toContain("DEFAULT CURRENT_TIMESTAMP");
      expect(script).toMatch(/DEFAULT \(?CURRENT_DATE\)?/);
      expect(script).toMatch(/VALUES \(2, 'values', CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME\)/);
    });
  });
}
