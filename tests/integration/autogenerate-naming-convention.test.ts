import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * A schema module's `namingConvention` with names past PostgreSQL's 63:
 * they are shortened as SQLAlchemy shortens them, so that autogenerate's
 * migration runs (PostgreSQL refuses nothing) and `check` is clean after
 * it, and so that a database SQLAlchemy created compares clean too. The
 * names in `SQLALCHEMY_DDL` are the ones SQLAlchemy 2.1.1 printed for the
 * same tables (`CreateTable(t).compile(dialect=postgresql.dialect())`).
 */
const SCHEMA = `
import { check, column, integer, sql, string, table, unique } from "@retort/core";

export const namingConvention = {
  ix: "ix_%(column_0_label)s",
  uq: "uq_%(table_name)s_%(column_0_N_name)s",
  ck: "ck_%(table_name)s_%(constraint_name)s",
  fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
  pk: "pk_%(table_name)s",
};

export const profiles = table(
  "customer_notification_delivery_preference_profiles",
  column("id", integer(), { primaryKey: true }),
);

export const settings = table(
  "customer_notification_settings",
  column("id", integer(), { primaryKey: true }),
  column("preferred_delivery_window_code", string(40), { index: true }),
  column("notification_channel_identifier", string(40)),
  column("notification_recipient_address", string(200)),
  column("delivery_preference_profile_identifier", integer(), {
    references: "customer_notification_delivery_preference_profiles.id",
  }),
  unique(["notification_channel_identifier", "notification_recipient_address"]),
  check(sql\`length(notification_recipient_address) > 3\`, { name: "recipient_address_is_long_enough_to_be_real" }),
);

export const billing = {
  invoices: table("invoices", column("id", integer(), { primaryKey: true }), { schema: "billing" }),
  lines: table(
    "invoice_lines",
    column("id", integer(), { primaryKey: true }),
    column("invoice_id", integer(), { references: "billing.invoices.id", index: true }),
    { schema: "billing" },
  ),
};
`;

const SQLALCHEMY_DDL = [
  "CREATE TABLE billing.invoices (id SERIAL NOT NULL, CONSTRAINT pk_invoices PRIMARY KEY (id))",
  "CREATE TABLE customer_notification_delivery_preference_profiles (id SERIAL NOT NULL, CONSTRAINT pk_customer_notification_delivery_preference_profiles PRIMARY KEY (id))",
  "CREATE TABLE billing.invoice_lines (id SERIAL NOT NULL, invoice_id INTEGER, CONSTRAINT pk_invoice_lines PRIMARY KEY (id), CONSTRAINT fk_invoice_lines_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES billing.invoices (id))",
  "CREATE INDEX ix_billing_invoice_lines_invoice_id ON billing.invoice_lines (invoice_id)",
  `CREATE TABLE customer_notification_settings (
	id SERIAL NOT NULL,
	preferred_delivery_window_code VARCHAR(40),
	notification_channel_identifier VARCHAR(40),
	notification_recipient_address VARCHAR(200),
	delivery_preference_profile_identifier INTEGER,
	CONSTRAINT pk_customer_notification_settings PRIMARY KEY (id),
	CONSTRAINT uq_customer_notification_settings_notification_channel__47ec UNIQUE (notification_channel_identifier, notification_recipient_address),
	CONSTRAINT ck_customer_notification_settings_recipient_address_is__b6c5 CHECK (length(notification_recipient_address) > 3),
	CONSTRAINT fk_customer_notification_settings_delivery_preference_p_6c76 FOREIGN KEY(delivery_preference_profile_identifier) REFERENCES customer_notification_delivery_preference_profiles (id)
)`,
  "CREATE INDEX ix_customer_notification_settings_preferred_delivery_wi_d1bf ON customer_notification_settings (preferred_delivery_window_code)",
];

const SHORTENED = [
  "fk_customer_notification_settings_delivery_preference_p_6c76",
  "uq_customer_notification_settings_notification_channel__47ec",
  "ck_customer_notification_settings_recipient_address_is__b6c5",
  "ix_customer_notification_settings_preferred_delivery_wi_d1bf",
  "fk_invoice_lines_invoice_id_invoices",
  "ix_billing_invoice_lines_invoice_id",
];

const CREATE_BILLING = {
  id: "bill0",
  down: null,
  upgrade: '  await op.createSchema("billing");',
  downgrade: '  await op.dropSchema("billing");',
};

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  describe(`long names from a naming convention on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("are shortened as SQLAlchemy's: the migration runs and check is clean after it", () => {
      const { project } = suite;
      project.addRevision(CREATE_BILLING);
      project.ok("upgrade", "head");
      project.write("schema.ts", SCHEMA);
      const output = project.ok("revision", "--autogenerate", "-m", "long names", "--rev-id", "long1");
      const text = readFileSync(/Generating (\S+)/.exec(output)?.[1] as string, "utf8");
      for (const name of SHORTENED) expect(text).toContain(`"${name}"`);
      expect(text).not.toContain('"ix_customer_notification_settings_preferred_delivery_window_code"');
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });
  });

  describe(`a database SQLAlchemy created under the convention on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("compares clean", () => {
      const { project } = suite;
      project.addRevision(CREATE_BILLING);
      project.addRevision({
        id: "sa1",
        down: "bill0",
        upgrade: SQLALCHEMY_DDL.map((statement) => `  await op.execute(${JSON.stringify(statement)});`).join("\n"),
        downgrade: "",
      });
      project.ok("upgrade", "head");
      project.write("schema.ts", SCHEMA);
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });
  });
}
