import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Driver } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import { driverPackageForScheme } from "../config/driver-package.js";
import { dynamicImport } from "../runtime/dynamic-import.js";

const cache = new Map<string, Driver>();

/**
 * Finds the driver package for a URL scheme. It is looked up from the
 * project folder first (where the user installed it), then from here;
 * core itself depends on no database client.
 */
export async function loadDriver(scheme: string, cwd: string): Promise<Driver> {
  const packageName = driverPackageForScheme(scheme);
  const cached = cache.get(packageName);
  if (cached) return cached;
  const module = await importDriverPackage(packageName, scheme, cwd);
  const driver = (module as { driver?: Driver; default?: Driver }).driver ?? (module as { default?: Driver }).default;
  if (!driver || typeof driver.connect !== "function") {
    throw new CommandError(`Package ${packageName} does not export a Retort driver (export const driver)`, {
      code: "DRIVER_INVALID",
    });
  }
  cache.set(packageName, driver);
  return driver;
}

/**
 * A driver's module by its resolved path. A CommonJS bundle (`.cjs`, as
 * Retort's own drivers ship) is required: `import()` of a CommonJS file
 * makes Node parse all of it for its export names, about 10 ms for the
 * SQLite driver's bundle. Any other (an ES module dialect package) is
 * imported.
 */
function loadResolved(resolved: string, base: string): unknown {
  return resolved.endsWith(".cjs") ? createRequire(base)(resolved) : dynamicImport(pathToFileURL(resolved).href);
}

async function importDriverPackage(packageName: string, scheme: string, cwd: string): Promise<unknown> {
  const bases = [path.join(cwd, "package.json"), import.meta.url];
  for (const base of bases) {
    let resolved: string;
    try {
      resolved = createRequire(base).resolve(packageName);
    } catch {
      continue;
    }
    return loadResolved(resolved, base);
  }
  try {
    return await dynamicImport(packageName);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new CommandError(
      `The driver for '${scheme}' URLs is not installed. Install it with: npm install ${packageName}  (or: pnpm add ${packageName})`,
      { code: "DRIVER_MISSING" },
    );
  }
}
