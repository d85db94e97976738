// Type-checked by dialect-name-type.test.ts, never run: a migration comparing
// the dialect's name with a misspelt one does not compile.
import type { Operations } from "@retort/core";

export async function upgrade(op: Operations): Promise<void> {
  const name = op.getBind().dialect.name;
  // @ts-expect-error PostgreSQL's dialect is "postgresql"
  if (name === "postgres") return;
  // @ts-expect-error the same through op.getContext()
  if (op.getContext().dialect.name === "postgres") return;
  if (name === "postgresql" || name === "sqlite" || name === "mysql") return;
}
