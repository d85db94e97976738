// Type-checked by dialect-name-type.test.ts, never run: a third-party dialect
// package registers its name, which migrations may then compare with.
import type { Dialect, Operations } from "@retort/core";

declare module "@retort/core" {
  interface DialectNames {
    cockroachdb: true;
  }
}

export const registered: Dialect["name"] = "cockroachdb";

export async function upgrade(op: Operations): Promise<void> {
  if (op.getBind().dialect.name === "cockroachdb") return;
  // @ts-expect-error still a typo
  if (op.getBind().dialect.name === "cockroach") return;
}
