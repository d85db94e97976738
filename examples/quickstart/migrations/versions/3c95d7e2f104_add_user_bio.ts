/** Add user bio
 *
 * Written on a feature branch at the same time as "Seed admin user": both
 * build on "Create posts", so the graph has two heads until they are merged.
 *
 * Revision ID: 3c95d7e2f104
 * Revises: 2a7e51c08b93
 * Create Date: 2026-11-24 09:20:00.000000
 */
import { column, text, type Operations } from "@retort/core";

export const revision = "3c95d7e2f104";
export const downRevision = "2a7e51c08b93";
export const branchLabels = null;
export const dependsOn = null;
export const message = "Add user bio";
export const createDate = "2026-11-24 09:20:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn("users", column("bio", text()));
}

export async function downgrade(op: Operations): Promise<void> {
  // SQLite 3.35+ drops columns in place.
  await op.execute('ALTER TABLE "users" DROP COLUMN "bio"');
}
