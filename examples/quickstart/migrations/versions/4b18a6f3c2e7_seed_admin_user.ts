/** Seed admin user
 *
 * Revision ID: 4b18a6f3c2e7
 * Revises: 2a7e51c08b93
 * Create Date: 2026-11-24 09:25:00.000000
 */
import type { Operations } from "@retort/core";

export const revision = "4b18a6f3c2e7";
export const downRevision = "2a7e51c08b93";
export const branchLabels = null;
export const dependsOn = null;
export const message = "Seed admin user";
export const createDate = "2026-11-24 09:25:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.bulkInsert("users", [{ id: 1, email: "admin@example.com", name: "Admin" }]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DELETE FROM "users" WHERE "email" = ?', ["admin@example.com"]);
}
