import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * MySQL/MariaDB's `ON UPDATE CURRENT_TIMESTAMP`, declared as part of the
 * default (`sql\`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP\``, as with
 * SQLAlchemy's `server_default=text(...)`): created as written, read back
 * the same (check is clean), and kept by the MODIFY of a later change to
 * the column, which restates the default it read.
 */
const SCHEMA = (nullable: boolean) => `
import { column, dateTime, integer, sql, table } from "@retort/core";

export const events = table(
  "events",
  column("id", integer(), { primaryKey: true }),
  column("touched", dateTime(), {
    nullable: ${nullable},
    serverDefault: sql\`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP\`,
  }),
);
`;

for (const harness of harnesses.filter((candidate) => candidate.name === "mysql")) {
  describe(`ON UPDATE CURRENT_TIMESTAMP on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts", compareServerDefault: true });

    async function extra(): Promise<string> {
      return suite.withConnection(async (connection) => {
        const rows = (
          await connection.query(
            "SELECT extra FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'events' AND column_name = 'touched'",
          )
        ).rows as { extra?: string; EXTRA?: string }[];
        return String(rows[0]?.extra ?? rows[0]?.EXTRA ?? "").toLowerCase();
      });
    }

    it("is created, compares clean, and survives a change of the column", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(true));
      project.ok("revision", "--autogenerate", "-m", "events", "--rev-id", "ou01");
      project.ok("upgrade", "head");
      expect(await extra()).toMatch(/on update current_timestamp/);
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      project.write("schema.ts", SCHEMA(false));
      project.ok("revision", "--autogenerate", "-m", "required", "--rev-id", "ou02");
      project.ok("upgrade", "head");
      expect(await extra()).toMatch(/on update current_timestamp/);
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      project.ok("downgrade", "ou01");
      expect(await extra()).toMatch(/on update current_timestamp/);
    });
  });
}
