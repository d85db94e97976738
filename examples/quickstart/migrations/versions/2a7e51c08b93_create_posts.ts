/** Create posts
 *
 * Revision ID: 2a7e51c08b93
 * Revises: 1f0c3b2a9d41
 * Create Date: 2026-11-24 09:10:00.000000
 */
import { column, integer, string, text, type Operations } from "@retort/core";

export const revision = "2a7e51c08b93";
export const downRevision = "1f0c3b2a9d41";
export const branchLabels = null;
export const dependsOn = null;
export const message = "Create posts";
export const createDate = "2026-11-24 09:10:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    "posts",
    column("id", integer(), { primaryKey: true }),
    column("user_id", integer(), {
      nullable: false,
      references: { table: "users", column: "id", onDelete: "CASCADE" },
    }),
    column("title", string(200), { nullable: false }),
    column("body", text()),
  );
  await op.createIndex("ix_posts_user_id", "posts", ["user_id"]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex("ix_posts_user_id");
  await op.dropTable("posts");
}
