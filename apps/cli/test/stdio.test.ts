import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `src/stdio.ts` bundled on its own, for child processes: what these tests
 * look at (which of Node's modules load, whether a descriptor is a
 * terminal, what a closed pipe does) belongs to a process of its own.
 */
let folder: string;
let bundle: string;

beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "retort-stdio-"));
  bundle = path.join(folder, "stdio.cjs");
  buildSync({
    entryPoints: [fileURLToPath(new URL("../src/stdio.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: bundle,
    define: { "import.meta.url": JSON.stringify(pathToFileURL(bundle).href) },
    logLevel: "silent",
  });
});

afterAll(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

/** A child that loads the writers, guards the pipes, then runs `body`. */
function program(body: string): string {
  return `const { stdout, stderr, ignoreClosedPipes } = require(${JSON.stringify(bundle)});\nignoreClosedPipes();\n${body}`;
}

/** Whether Node's socket module (which `process.stdout` on a pipe and `node:tty` load) is loaded. */
const socketsLoaded = `process.moduleLoadList.includes("NativeModule net")`;

describe("the CLI's stdout and stderr", () => {
  it("write to pipes without making Node's streams, and in order once something else makes one", () => {
    const result = spawnSync(
      process.execPath,
      [
        "-e",
        program(`
          stdout.write("one\\n");
          stderr.write("err one\\n");
          const before = ${socketsLoaded};
          const tty = [stdout.isTTY, stderr.isTTY];
          console.log("two");
          stdout.write("three\\n");
          console.error("err two");
          stderr.write("err three " + JSON.stringify({ before, after: ${socketsLoaded}, tty }) + "\\n");
        `),
      ],
      { encoding: "utf8" },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe("one\ntwo\nthree\n");
    expect(result.stderr).toBe(
      `err one\nerr two\nerr three ${JSON.stringify({ before: false, after: true, tty: [false, false] })}\n`,
    );
  });

  it("see no terminal in a file or /dev/null, without loading node:tty", () => {
    const file = path.join(folder, "out.txt");
    const out = fs.openSync(file, "w");
    const devNull = fs.openSync("/dev/null", "w");
    try {
      const result = spawnSync(
        process.execPath,
        ["-e", program(`stdout.write(JSON.stringify([stdout.isTTY, stderr.isTTY, ${socketsLoaded}]));`)],
        { stdio: ["ignore", out, devNull] },
      );
      expect(result.status).toBe(0);
    } finally {
      fs.closeSync(out);
      fs.closeSync(devNull);
    }
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual([false, false, process.platform !== "linux"]);
  });

  it.runIf(process.platform === "linux")("see a terminal (util-linux's script gives the child one)", () => {
    const child = `${process.execPath} -e ${shellQuote(program(`stderr.write(JSON.stringify([stdout.isTTY]));`))}`;
    const result = spawnSync("script", ["-qec", child, "/dev/null"], { encoding: "utf8" });
    expect(result.error).toBeUndefined();
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout.trim()).toBe("[true]");
  });

  it("go quiet on a pipe whose reader went away, and let the process end with its own status", async () => {
    const child = spawn(
      process.execPath,
      [
        "-e",
        program(`
          const line = "x".repeat(1023) + "\\n";
          for (let i = 0; i < 4096; i++) stdout.write(line);
          stderr.write("finished");
          process.exitCode = 3;
        `),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderrText = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderrText += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderrText).toBe("finished");
    expect(status).toBe(3);
  });
});

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
