import { UnknownSchemeError } from "./config-errors.js";

/** Which package serves which URL scheme (the part before `+`). */
const DRIVER_PACKAGES: Readonly<Record<string, string>> = {
  sqlite: "@retort/sqlite",
  postgresql: "@retort/postgres",
  postgres: "@retort/postgres",
  mysql: "@retort/mysql",
  mariadb: "@retort/mysql",
};

/**
 * The driver package for a URL scheme: `sqlite` → `@retort/sqlite`,
 * `postgresql`/`postgres` → `@retort/postgres`, `mysql`/`mariadb` →
 * `@retort/mysql`. A `+driver` suffix is ignored. An unknown scheme throws
 * `UnknownSchemeError` listing the supported ones.
 *
 * ```ts
 * driverPackageForScheme("postgresql+asyncpg"); // "@retort/postgres"
 * ```
 */
export function driverPackageForScheme(scheme: string): string {
  const dialect = (scheme.split("+")[0] ?? "").toLowerCase();
  const packageName = Object.hasOwn(DRIVER_PACKAGES, dialect) ? DRIVER_PACKAGES[dialect] : undefined;
  if (packageName === undefined) {
    throw new UnknownSchemeError(
      `No Retort driver for database URLs of scheme '${scheme}'; supported schemes: ${Object.keys(DRIVER_PACKAGES).join(", ")}`,
      scheme,
    );
  }
  return packageName;
}
