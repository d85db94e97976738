import type { MigrationStep, RunSummary, StepReport } from "@retort/core";
import { describeStep } from "@retort/core/commands";
import { describe, expect, it } from "vitest";

/** The control characters in `text`, newlines aside. */
function controlCharacters(text: string): string[] {
  return [...text].filter((char) => char !== "\n" && (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127));
}
import { describeDatabase, formatDuration, RunRenderer, summaryLine } from "../src/format/run-renderer.js";
import { colors, colorEnabled, plain } from "../src/style.js";

/** A stream that records what is written; `isTTY` as a terminal's or a pipe's. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join("") };
}

function step(id: string, down: string | null, doc: string, direction: "upgrade" | "downgrade" = "upgrade") {
  return {
    kind: "revision",
    direction,
    revision: { id, downRevisions: down === null ? [] : [down], source: { doc } },
  } as unknown as MigrationStep;
}

const first = step("aaa111", null, "create users");
const second = step("bbb222", "aaa111", "add email");

/** The event the runner sends: its description is Alembic's line, message included. */
function started(migration: MigrationStep, index: number, total: number) {
  return { step: migration, description: describeStep(migration), index, total };
}

function finished(migration: MigrationStep, index: number, total: number, durationMs: number): StepReport {
  return { ...started(migration, index, total), durationMs, headsAfter: [] };
}

describe("RunRenderer on a terminal", () => {
  it("leaves the start line open and completes it with the duration", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted(started(first, 0, 2));
    expect(stream.text()).toBe("[1/2] Running upgrade  -> aaa111, create users ...");
    renderer.migrationFinished(finished(first, 0, 2, 3400));
    renderer.migrationStarted(started(second, 1, 2));
    renderer.migrationFinished(finished(second, 1, 2, 12));
    expect(stream.text()).toBe(
      "[1/2] Running upgrade  -> aaa111, create users ... done (3.4 s)\n" +
        "[2/2] Running upgrade aaa111 -> bbb222, add email ... done (12 ms)\n",
    );
  });

  it("ends the open line before a warning, then writes the end as a full line", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted(started(second, 0, 1));
    renderer.warning("CAST of column x changes values");
    renderer.migrationFinished(finished(second, 0, 1, 5));
    expect(stream.text()).toBe(
      "Running upgrade aaa111 -> bbb222, add email ...\n" +
        "WARNING: CAST of column x changes values\n" +
        "Running upgrade aaa111 -> bbb222, add email ... done (5 ms)\n",
    );
  });

  it("ends the open line before the migration's own output on stdout or stderr, and stops watching after", () => {
    const stream = fakeStream(true);
    // The terminal shows stdout and stderr together: one transcript.
    const stdout = { write: (text: string) => stream.chunks.push(text) };
    const ownWrites = [stdout.write, stream.write];
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false, sharedStreams: () => [stdout, stream] });
    renderer.migrationStarted(started(second, 0, 1));
    stdout.write("seeding 3 rows\n");
    stream.write("a library's note\n");
    renderer.migrationFinished(finished(second, 0, 1, 5));
    expect(stream.text()).toBe(
      "Running upgrade aaa111 -> bbb222, add email ...\n" +
        "seeding 3 rows\n" +
        "a library's note\n" +
        "Running upgrade aaa111 -> bbb222, add email ... done (5 ms)\n",
    );
    expect([stdout.write, stream.write]).toEqual(ownWrites);
    // A migration that prints nothing keeps the one completed line.
    renderer.migrationStarted(started(first, 0, 1));
    renderer.migrationFinished(finished(first, 0, 1, 7));
    expect(stream.text().endsWith("Running upgrade  -> aaa111, create users ... done (7 ms)\n")).toBe(true);
    expect([stdout.write, stream.write]).toEqual(ownWrites);
  });

  it("rewrites a long copy's progress in place on a line of its own", () => {
    const stream = fakeStream(true);
    // Its own stream watched as a shared one, as in the CLI: its writes are not the migration's.
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false, sharedStreams: () => [stream] });
    renderer.migrationStarted(started(second, 0, 1));
    renderer.copyProgress?.({ table: "events", copied: 500, total: 1000 });
    renderer.copyProgress?.({ table: "events", copied: 1000, total: 1000 });
    renderer.migrationFinished(finished(second, 0, 1, 2000));
    expect(stream.chunks).toEqual([
      "Running upgrade aaa111 -> bbb222, add email ...",
      "\n",
      '\r\u001b[2KCopying "events": 500 / 1,000 rows (50%)',
      '\r\u001b[2KCopying "events": 1,000 / 1,000 rows (100%)\n',
      "Running upgrade aaa111 -> bbb222, add email ... done (2.0 s)\n",
    ]);
  });

  it("ends the open line before an interrupt notice, which -q does not silence", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted(started(first, 0, 1));
    renderer.notice("Interrupted by SIGINT: stopping the run and rolling back...");
    renderer.abandon();
    expect(stream.text()).toBe(
      "Running upgrade  -> aaa111, create users ...\nInterrupted by SIGINT: stopping the run and rolling back...\n",
    );
    const quiet = fakeStream(true);
    new RunRenderer({ stream: quiet, paint: plain, quiet: true }).notice("Interrupted by SIGTERM");
    expect(quiet.text()).toBe("Interrupted by SIGTERM\n");
  });

  it("ends an open line with 'failed' when the run fails, so FAILED starts a line", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted(started(first, 0, 1));
    renderer.abandon();
    expect(stream.text()).toBe("Running upgrade  -> aaa111, create users ... failed\n");
  });

  it("colours revision ids, the counter, warnings and 'failed' when given colours", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: colors, quiet: false });
    renderer.migrationStarted(started(second, 0, 2));
    renderer.warning("careful");
    renderer.abandon();
    expect(stream.text()).toBe(
      "\u001b[2m[1/2]\u001b[22m Running upgrade \u001b[33maaa111\u001b[39m -> \u001b[33mbbb222\u001b[39m, add email ...\n" +
        "\u001b[1;33mWARNING:\u001b[0m careful\n",
    );
  });
});

describe("RunRenderer off a terminal", () => {
  it("writes a Finished line with the next line, or on the next turn of the event loop", async () => {
    const stream = fakeStream(false);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted(started(first, 0, 2));
    renderer.migrationFinished(finished(first, 0, 2, 3));
    renderer.migrationStarted(started(second, 1, 2));
    expect(stream.chunks).toEqual([
      "Running upgrade  -> aaa111, create users\n",
      "Finished upgrade  -> aaa111 in 3 ms\nRunning upgrade aaa111 -> bbb222, add email\n",
    ]);
    renderer.migrationFinished(finished(second, 1, 2, 4));
    expect(stream.chunks).toHaveLength(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.chunks.at(-1)).toBe("Finished upgrade aaa111 -> bbb222 in 4 ms\n");
    // A failure's end comes after it.
    renderer.migrationStarted(started(first, 0, 1));
    renderer.migrationFinished(finished(first, 0, 1, 5));
    renderer.abandon();
    expect(stream.text().endsWith("Finished upgrade  -> aaa111 in 5 ms\n")).toBe(true);
  });

  it("holds a Running line for the next turn of the event loop when statements are awaited", async () => {
    const stream = fakeStream(false);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted({ ...started(first, 0, 2), blocking: false });
    expect(stream.chunks).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.chunks).toEqual(["Running upgrade  -> aaa111, create users\n"]);
    // The previous Finished line and the next Running line go out in one write.
    renderer.migrationFinished(finished(first, 0, 2, 3));
    renderer.migrationStarted({ ...started(second, 1, 2), blocking: false });
    expect(stream.chunks).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.chunks.at(-1)).toBe(
      "Finished upgrade  -> aaa111 in 3 ms\nRunning upgrade aaa111 -> bbb222, add email\n",
    );
    // A warning, a failure or the summary writes what is held first.
    renderer.migrationFinished(finished(second, 1, 2, 4));
    renderer.runFinished({ steps: [], headsBefore: [], headsAfter: ["bbb222"], durationMs: 9 });
    expect(stream.chunks.at(-1)).toBe(
      "Finished upgrade aaa111 -> bbb222 in 4 ms\nNothing to do: the database is at bbb222\n",
    );
    renderer.migrationStarted({ ...started(first, 0, 1), blocking: false });
    renderer.warning("careful");
    expect(stream.text().endsWith("Running upgrade  -> aaa111, create users\nWARNING: careful\n")).toBe(true);
  });

  it("writes held lines before a migration's own output, and stops watching once they are written", async () => {
    const output: string[] = [];
    const stdout = { write: (text: string) => output.push(`out:${text}`) };
    const stderr = { write: (text: string) => output.push(`err:${text}`) };
    const originals = [stdout.write, stderr.write];
    const renderer = new RunRenderer({
      stream: { isTTY: false, write: (text: string) => output.push(`renderer:${text}`) },
      paint: plain,
      quiet: false,
      sharedStreams: () => [stdout, stderr],
    });
    renderer.migrationStarted({ ...started(first, 0, 1), blocking: false });
    stdout.write("seeding\n");
    stderr.write("a library's warning\n");
    expect(output).toEqual([
      "renderer:Running upgrade  -> aaa111, create users\n",
      "out:seeding\n",
      "err:a library's warning\n",
    ]);
    expect([stdout.write, stderr.write]).toEqual(originals);
    // Written on the next turn: the streams are given back then too.
    renderer.migrationStarted({ ...started(second, 0, 1), blocking: false });
    expect(stdout.write).not.toBe(originals[0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([stdout.write, stderr.write]).toEqual(originals);
    expect(output.at(-1)).toBe("renderer:Running upgrade aaa111 -> bbb222, add email\n");
  });

  it("writes a Running line at once when statements run on this thread", () => {
    const stream = fakeStream(false);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.migrationStarted({ ...started(first, 0, 1), blocking: true });
    expect(stream.chunks).toEqual(["Running upgrade  -> aaa111, create users\n"]);
  });

  it("writes one line per event and no control character", () => {
    const stream = fakeStream(false);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false });
    renderer.databaseChosen({ dialect: "sqlite", url: "sqlite:///app.db", database: "app.db" });
    renderer.lockWaiting({ key: ".alembic_version", holder: "pid 42", waitedMs: 1000 });
    renderer.lockAcquired({ key: ".alembic_version", waitedMs: 2500 });
    renderer.migrationStarted(started(first, 0, 2));
    renderer.migrationFinished(finished(first, 0, 2, 3400));
    renderer.runFinished({
      steps: [finished(first, 0, 2, 3400)],
      headsBefore: [],
      headsAfter: ["aaa111"],
      durationMs: 3450,
    });
    expect(stream.text()).toBe(
      'Database: sqlite "app.db" (sqlite:///app.db)\n' +
        "Waiting for the migration lock held by pid 42 ...\n" +
        "Acquired the migration lock after 2.5 s\n" +
        "Running upgrade  -> aaa111, create users\n" +
        "Finished upgrade  -> aaa111 in 3.4 s\n" +
        "Applied 1 migration in 3.5 s\n",
    );
    expect(controlCharacters(stream.text())).toEqual([]);
  });

  it("logs a long copy's progress at most every ten seconds, and its end when it logged any", () => {
    let clock = 0;
    const stream = fakeStream(false);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false, now: () => clock });
    renderer.migrationStarted(started(second, 0, 1));
    clock = 4_000;
    renderer.copyProgress?.({ table: "events", copied: 100_000, total: 400_000 });
    clock = 10_500;
    renderer.copyProgress?.({ table: "events", copied: 200_000, total: 400_000 });
    clock = 15_000;
    renderer.copyProgress?.({ table: "events", copied: 300_000, total: 400_000 });
    clock = 17_000;
    renderer.copyProgress?.({ table: "events", copied: 400_000, total: 400_000 });
    renderer.migrationFinished(finished(second, 0, 1, 17_000));
    // A short copy says nothing.
    renderer.migrationStarted(started(first, 0, 1));
    renderer.copyProgress?.({ table: "users", copied: 10, total: 10 });
    expect(stream.text()).toBe(
      "Running upgrade aaa111 -> bbb222, add email\n" +
        'Copying "events": 200,000 / 400,000 rows (50%)\n' +
        'Copying "events": 400,000 / 400,000 rows (100%)\n' +
        "Finished upgrade aaa111 -> bbb222 in 17.0 s\n" +
        "Running upgrade  -> aaa111, create users\n",
    );
  });

  it("says nothing of a lock that was free", () => {
    const stream = fakeStream(false);
    new RunRenderer({ stream, paint: plain, quiet: false }).lockAcquired({ key: "k", waitedMs: 3 });
    expect(stream.text()).toBe("");
  });

  it("writes nothing informational with -q, but still the warnings", () => {
    const stream = fakeStream(true);
    const renderer = new RunRenderer({ stream, paint: plain, quiet: true });
    renderer.databaseChosen({ dialect: "sqlite", url: "sqlite://" });
    renderer.migrationStarted(started(first, 0, 1));
    renderer.migrationFinished(finished(first, 0, 1, 1));
    renderer.runFinished({ steps: [], headsBefore: [], headsAfter: [], durationMs: 1 });
    expect(renderer.copyProgress).toBeUndefined();
    renderer.warning("still shown");
    expect(stream.text()).toBe("WARNING: still shown\n");
  });
});

describe("texts", () => {
  it("names the database with its dialect, name or file, host, and the masked URL", () => {
    expect(
      describeDatabase({
        dialect: "postgresql",
        url: "postgresql://app:***@db.example.com:5432/app",
        host: "db.example.com",
        port: 5432,
        database: "app",
      }),
    ).toBe('postgresql "app" on db.example.com:5432 (postgresql://app:***@db.example.com:5432/app)');
    expect(describeDatabase({ dialect: "sqlite", url: "sqlite://" })).toBe("sqlite in memory (sqlite://)");
  });

  it("sums a run up", () => {
    const summary = (steps: StepReport[], headsAfter: string[], durationMs: number): RunSummary => ({
      steps,
      headsBefore: [],
      headsAfter,
      durationMs,
    });
    const ups = Array.from({ length: 12 }, (_, index) => finished(first, index, 12, 1));
    expect(summaryLine(summary(ups, ["x"], 3400), plain)).toBe("Applied 12 migrations in 3.4 s");
    const down = { ...finished(step("bbb222", "aaa111", "", "downgrade"), 0, 1, 1) };
    expect(summaryLine(summary([down], ["aaa111"], 80), plain)).toBe("Reverted 1 migration in 80 ms");
    const stamp = {
      ...finished(first, 0, 1, 1),
      step: { kind: "stamp", from: [], to: ["aaa111"], isUpgrade: true, branchMove: true } as MigrationStep,
    };
    expect(summaryLine(summary([stamp], ["aaa111"], 3), plain)).toBe("Stamped aaa111 in 3 ms");
    expect(summaryLine(summary([], ["aaa111", "ccc333"], 3), plain)).toBe(
      "Nothing to do: the database is at aaa111, ccc333",
    );
    expect(summaryLine(summary([], [], 3), plain)).toBe("Nothing to do: the database is at base");
    expect(summaryLine({ ...summary([], [], 3), purgedRows: 2 }, plain)).toBe(
      "Purged 2 version rows: the database is at base",
    );
    expect(summaryLine({ ...summary([], [], 3), purgedRows: 0 }, plain)).toBe("Nothing to do: the database is at base");
  });

  it("formats durations", () => {
    expect([formatDuration(0.412), formatDuration(12.4), formatDuration(3400), formatDuration(61_000)]).toEqual([
      "0.41 ms",
      "12 ms",
      "3.4 s",
      "61.0 s",
    ]);
  });

  it("colours only a terminal, and never with --no-color, NO_COLOR or TERM=dumb", () => {
    expect(colorEnabled({ isTTY: true }, {}, false)).toBe(true);
    expect(colorEnabled({ isTTY: false }, {}, false)).toBe(false);
    expect(colorEnabled({}, {}, false)).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, true)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" }, false)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "" }, false)).toBe(true);
    expect(colorEnabled({ isTTY: true }, { TERM: "dumb" }, false)).toBe(false);
  });
});

describe("RunRenderer.planned", () => {
  it("tells onPlanned how many steps the run has, and writes nothing", () => {
    const stream = fakeStream(false);
    const counts: number[] = [];
    const renderer = new RunRenderer({ stream, paint: plain, quiet: false, onPlanned: (steps) => counts.push(steps) });
    renderer.planned([first, second]);
    expect(counts).toEqual([2]);
    expect(stream.text()).toBe("");
  });
});
