/** Merge bio and seed
 *
 * Revision ID: 5d2f9e8a7b60
 * Revises: 3c95d7e2f104, 4b18a6f3c2e7
 * Create Date: 2026-11-24 09:30:00.000000
 */
import type { Operations } from "@retort/core";

export const revision = "5d2f9e8a7b60";
export const downRevision = ["3c95d7e2f104", "4b18a6f3c2e7"];
export const branchLabels = null;
export const dependsOn = null;
export const message = "Merge bio and seed";
export const createDate = "2026-11-24 09:30:00.000000";

export async function upgrade(_op: Operations): Promise<void> {}

export async function downgrade(_op: Operations): Promise<void> {}
