import type { Dialect } from "../driver/driver.js";

/**
 * A dialect for unit tests that need one without a database package:
 * standard quoting, `'...'` string literals, `$n` placeholders unless
 * `overrides` say otherwise, and no compiled statements.
 */
export function stubDialect(overrides: Partial<Dialect> = {}): Dialect {
  return {
    name: "testdb",
    capabilities: {
      transactionalDdl: true,
      lockHeldByTransaction: false,
      alterInPlace: true,
      nativeEnum: false,
      enumTypes: false,
      schemas: true,
      ifNotExists: true,
      comments: false,
      indexMethods: false,
    },
    quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    renderLiteral: (value) => `'${String(value).replaceAll("'", "''")}'`,
    placeholder: (index) => `$${index}`,
    compile: () => [],
    ...overrides,
  };
}
