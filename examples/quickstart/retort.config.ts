import { defineConfig } from "@retort/core";

export default defineConfig({
  // Where script.ts.template and versions/ live.
  scriptLocation: "migrations",
  // A SQLite file next to this config; DATABASE_URL or --url override it.
  url: "sqlite:///quickstart.db",
});
