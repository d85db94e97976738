import { afterAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * The version table's row order after command sequences run through the
 * CLI, against Alembic's HeadMaintainer rules (the same sequences are
 * derived rule by rule in packages/core/src/runtime/version-row-order.test.ts).
 *
 * The order is what `SELECT version_num FROM alembic_version` (no ORDER
 * BY) returns: what Retort and Alembic both read, and what an ambiguous
 * `downgrade -1` walks down from (its first row).
 * - SQLite returns rows in rowid order: an UPDATE keeps the row's place,
 *   an INSERT appends. The exact order is checked after every command.
 * - PostgreSQL writes an UPDATE as a new tuple at the end of the heap, so
 *   a stepped row moves to the end: `[c1, d2]` then `UPDATE c1 -> d1`
 *   reads `[d2, d1]`. That order is the heap's, not a contract, so on
 *   PostgreSQL only the rows (as a set) and the first-row choice of
 *   `downgrade -1` are checked: it takes down the row the SELECT returns
 *   first, which is the row Alembic would take from the same database.
 * - MySQL/MariaDB (InnoDB) keep a table in primary key order: the rows
 *   read sorted by version_num, checked exactly; an ambiguous `downgrade
 *   -1` takes down the smallest.
 * Each harness says which of these its database does (`versionRowOrder`).
 */

/** §3.5's graph plus an unrelated branch; file order a, b, c1, d1, c2, d2, e, f, x1, x2. */
function writeGraph(project: TestProject): void {
  const specs: [string, string | string[] | null, string[]?][] = [
    ["a", null],
    ["b", "a"],
    ["c1", "b"],
    ["d1", "c1"],
    ["c2", "b", ["c2branch"]],
    ["d2", "c2"],
    ["e", ["d1", "d2"]],
    ["f", "e"],
    ["x1", null, ["side"]],
    ["x2", "x1"],
  ];
  specs.forEach(([id, down, labels], index) => {
    project.addRevision({
      id,
      down,
      ...(labels ? { labels } : {}),
      file: `${String(index + 1).padStart(2, "0")}_${id}.ts`,
      // Each owns a table; IF (NOT) EXISTS because stamps move rows without running migrations.
      upgrade: `  await op.execute("CREATE TABLE IF NOT EXISTS t_${id} (id INTEGER)");`,
      downgrade: `  await op.execute("DROP TABLE IF EXISTS t_${id}");`,
    });
  });
}

/**
 * A command and the rows after it: in rowid order (SQLite), and, where
 * the first-row choice of an earlier `downgrade -1` made them differ, in
 * heap order (PostgreSQL: INSERT and UPDATE both write at the end;
 * compared as a set) and in primary key order (InnoDB).
 */
type Step = readonly [
  args: readonly string[],
  rowidRows: readonly string[],
  heapRows?: readonly string[],
  keyRows?: readonly string[],
];

for (const harness of harnesses) {
  const order = harness.versionRowOrder;

  describe(`version row order through the CLI on ${harness.name}`, () => {
    const databases: TestDatabase[] = [];
    const projects: TestProject[] = [];
    afterAll(async () => {
      for (const project of projects) project.cleanup();
      for (const database of databases) await database.drop();
    });

    async function fresh(): Promise<{ project: TestProject; probe: DatabaseProbe }> {
      const database = await harness.create();
      databases.push(database);
      const project = new TestProject({ url: database.url });
      projects.push(project);
      writeGraph(project);
      return { project, probe: new DatabaseProbe(harness, database.url, project.dir) };
    }

    /** The rows as the SELECT the runner uses returns them (no ORDER BY). */
    async function rows(probe: DatabaseProbe): Promise<string[]> {
      if (!(await probe.tableExists("alembic_version"))) return [];
      const found = await probe.query("SELECT version_num FROM alembic_version");
      const plain = found.map((row) => row.version_num as string);
      if (order === "rowid") {
        // On SQLite the plain SELECT is rowid order.
        const byRowid = await probe.query("SELECT version_num FROM alembic_version ORDER BY rowid");
        expect(plain).toEqual(byRowid.map((row) => row.version_num));
      }
      return plain;
    }

    /**
     * Runs one command and checks the rows after it: in order in rowid and
     * key order, as a set in heap order. A `downgrade -1` also checks that
     * the row taken down is the first row read before it. Returns the rows.
     */
    async function step(
      project: TestProject,
      probe: DatabaseProbe,
      [args, rowidRows, heapRows, keyRows]: Step,
    ): Promise<string[]> {
      const expected =
        order === "rowid" ? rowidRows : order === "heap" ? (heapRows ?? rowidRows) : (keyRows ?? rowidRows);
      const before = await rows(probe);
      const result = project.run(...args);
      const output = `${result.stdout}${result.stderr}`;
      expect(result.status, `retort ${args.join(" ")}\n${output}`).toBe(0);
      const after = await rows(probe);
      const what = `after retort ${args.join(" ")}`;
      if (order === "rowid") expect(after, what).toEqual(expected);
      else if (order === "key") expect(after, what).toEqual([...expected].sort());
      else expect([...after].sort(), what).toEqual([...expected].sort());
      if (args[0] === "downgrade" && args[1] === "-1" && before.length > 1) {
        const first = before[0] as string;
        expect(output).toContain("downgrade -1 from multiple heads is ambiguous");
        expect(output).toContain(`Running downgrade ${first} -> `);
        expect(after).not.toContain(first);
        for (const other of before.slice(1)) expect(after).toContain(other);
      }
      return after;
    }

    it("follows Alembic's UPDATE/INSERT/DELETE rules through upgrades, merges, unmerges, stamps and downgrade -1", async () => {
      const { project, probe } = await fresh();
      const steps: Step[] = [
        [["upgrade", "c1"], ["c1"]], // a INSERT; b, c1 UPDATE
        [
          ["upgrade", "d2"],
          ["c1", "d2"],
        ], // c2 INSERT (b is not a row) appends; d2 UPDATE
        [
          ["upgrade", "side@head"],
          ["c1", "d2", "x2"],
        ], // x1 INSERT appends; x2 UPDATE
        // UPDATE c1 -> d1: SQLite keeps c1's place; PostgreSQL reads [d2, x2, d1].
        [
          ["upgrade", "d1"],
          ["d1", "d2", "x2"],
        ],
        [
          ["upgrade", "e"],
          ["e", "x2"],
        ], // merge: DELETE d1, UPDATE d2 -> e (PostgreSQL: [x2, e])
        [
          ["downgrade", "d1"],
          ["d2", "x2", "d1"],
        ], // unmerge: INSERT d1, UPDATE e -> d2 (PostgreSQL: [x2, d1, d2])
        // First row: d2 on SQLite (UPDATE d2 -> c2); x2 on PostgreSQL (UPDATE x2 -> x1).
        // InnoDB reads [d1, d2, x2]: UPDATE d1 -> c1.
        [
          ["downgrade", "-1"],
          ["c2", "x2", "d1"],
          ["d1", "d2", "x1"],
          ["c1", "d2", "x2"],
        ],
        // Stamp merge from the rows below b, in row order: SQLite [c2, d1]: DELETE c2, UPDATE d1 -> b;
        // PostgreSQL [d1, d2]: DELETE d1, UPDATE d2 -> b; InnoDB [c1, d2]: DELETE c1, UPDATE d2 -> b.
        [
          ["stamp", "b"],
          ["x2", "b"],
          ["x1", "b"],
        ],
        [
          ["stamp", "d2"],
          ["x2", "d2"],
          ["x1", "d2"],
        ], // stamp update b -> d2
        // c1 INSERT, d1 UPDATE, e merge (DELETE d1, UPDATE d2 -> e), f UPDATE (PostgreSQL also x1 -> x2 first).
        [
          ["upgrade", "heads"],
          ["x2", "f"],
        ],
        // First row x2 (not f) in rowid and heap order: UPDATE x2 -> x1. InnoDB reads [f, x2]: UPDATE f -> e.
        [["downgrade", "-1"], ["x1", "f"], undefined, ["e", "x2"]],
      ];
      let last: string[] = [];
      for (const each of steps) last = await step(project, probe, each);
      // The last downgrade ran the downgrade of the first row (x2's or f's); the other's table is there.
      expect(await probe.existingTables(["t_f", "t_x2"])).toEqual(
        ["t_f", "t_x2"].filter((name) => last.includes(name.slice(2))),
      );
    });

    it("takes down the first row on an ambiguous downgrade -1: the same heads built in two orders", async () => {
      // {d1, d2} read as [d1, d2] on SQLite (c1's row stepped to d1 in place) and InnoDB (key
      // order) but as [d2, d1] on PostgreSQL (the UPDATE wrote d1 at the end): each takes its
      // first row down.
      const one = await fresh();
      await step(one.project, one.probe, [["upgrade", "c1"], ["c1"]]);
      await step(one.project, one.probe, [
        ["upgrade", "d2"],
        ["c1", "d2"],
      ]);
      await step(one.project, one.probe, [
        ["upgrade", "d1"],
        ["d1", "d2"],
      ]);
      await step(one.project, one.probe, [
        ["downgrade", "-1"],
        ["c1", "d2"],
        ["d1", "c2"],
      ]);

      // {d1, d2} read as [d2, d1] in rowid and heap order: d2 first, c1 inserted after it and
      // stepped to d1. InnoDB reads [d1, d2].
      const two = await fresh();
      await step(two.project, two.probe, [["upgrade", "d2"], ["d2"]]);
      await step(two.project, two.probe, [
        ["upgrade", "d1"],
        ["d2", "d1"],
      ]);
      await step(two.project, two.probe, [["downgrade", "-1"], ["c2", "d1"], undefined, ["c1", "d2"]]);
      // SQLite reads [c2, d1]: c2 goes, and as b is implied by d1 its row is deleted. PostgreSQL
      // reads [d1, c2]: d1 goes down to c1 (UPDATE). InnoDB reads [c1, d2]: c1 goes, b implied by d2.
      await step(two.project, two.probe, [["downgrade", "-1"], ["d1"], ["c2", "c1"], ["d2"]]);
    });
  });
}
