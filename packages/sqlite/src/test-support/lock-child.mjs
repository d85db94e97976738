// A separate process for the lock tests. Uses the built package (dist), as
// another `retort upgrade` process would.
//   node lock-child.mjs counter <db> <timeoutMs> <holdMs>
//   node lock-child.mjs hold <db>
import { setTimeout as sleep } from "node:timers/promises";
import { driver } from "../../dist/index.js";

const [mode, filename, timeoutText = "5000", holdText = "100"] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);
const holdMs = Number(holdText);
const url = { scheme: "sqlite", database: filename, query: {}, raw: `sqlite:///${filename}` };

try {
  const connection = await driver.connect(url, { lockTimeoutMs: timeoutMs });
  await connection.acquireLock({ key: "alembic_version", timeoutMs });
  if (mode === "counter") {
    const waitStart = Date.now();
    await connection.begin();
    const start = Date.now();
    const { rows } = await connection.query("SELECT value FROM counter WHERE id = 1");
    const value = rows[0].value;
    await sleep(holdMs);
    await connection.execute("UPDATE counter SET value = ? WHERE id = 1", [value + 1]);
    const end = Date.now();
    await connection.execute("INSERT INTO log (pid, value, started, ended) VALUES (?, ?, ?, ?)", [
      process.pid,
      value + 1,
      start,
      end,
    ]);
    await connection.commit();
    await connection.close();
    process.stdout.write(`${JSON.stringify({ ok: true, waited: start - waitStart })}\n`);
  } else if (mode === "hold") {
    await connection.begin();
    await connection.execute("INSERT INTO counter (id, value) VALUES (2, 42)");
    process.stdout.write("LOCKED\n");
    // Keep the connection reachable: once this block ends, a garbage
    // collection would finalize the database handle, which rolls back the
    // transaction and releases the lock the test expects to be held.
    setInterval(() => connection.inTransaction, 60_000);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, name: error.name, code: error.code, message: error.message })}\n`,
  );
  process.exitCode = 1;
}
