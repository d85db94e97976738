/** Create users
 *
 * Revision ID: 1f0c3b2a9d41
 * Revises:
 * Create Date: 2026-11-24 09:00:00.000000
 */
import { column, currentTimestamp, dateTime, integer, string, type Operations } from "@retort/core";

export const revision = "1f0c3b2a9d41";
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;
export const message = "Create users";
export const createDate = "2026-11-24 09:00:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    "users",
    column("id", integer(), { primaryKey: true }),
    column("email", string(255), { nullable: false, unique: true }),
    column("name", string(100)),
    column("created_at", dateTime(), { serverDefault: currentTimestamp() }),
  );
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("users");
}
