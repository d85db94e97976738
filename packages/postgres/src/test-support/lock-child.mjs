// A separate process for the lock tests. Uses the built package (dist), as
// another `retort upgrade` process would.
//   node lock-child.mjs hold <url> <key>
//   node lock-child.mjs counter <url> <key> <timeoutMs> <holdMs>
import { setTimeout as sleep } from "node:timers/promises";
import { parseDatabaseUrl } from "@retort/core";
import { driver } from "../../dist/index.js";

const [mode, urlText, key, timeoutText = "10000", holdText = "100"] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);
const holdMs = Number(holdText);

try {
  const connection = await driver.connect(parseDatabaseUrl(urlText), { applicationName: `lock-child-${mode}` });
  const lock = await connection.acquireLock({ key, timeoutMs });
  if (mode === "hold") {
    const { rows } = await connection.query("SELECT pg_backend_pid() AS pid");
    process.stdout.write(`LOCKED ${rows[0].pid}\n`);
    // Keep the lock and its connection reachable while the test runs.
    setInterval(() => lock, 60_000);
  } else if (mode === "counter") {
    const start = Date.now();
    await connection.begin();
    const { rows } = await connection.query("SELECT value FROM counter WHERE id = 1");
    const value = rows[0].value;
    await sleep(holdMs);
    await connection.execute("UPDATE counter SET value = $1 WHERE id = 1", [value + 1]);
    await connection.execute("INSERT INTO log (pid, value, started, ended) VALUES ($1, $2, $3, $4)", [
      process.pid,
      value + 1,
      start,
      Date.now(),
    ]);
    await connection.commit();
    await lock.release();
    await connection.close();
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, name: error.name, code: error.code, message: error.message })}\n`,
  );
  process.exitCode = 1;
}
