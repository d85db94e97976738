import type { Dialect } from "../driver/driver.js";
import type { TypeKey, TypeSide } from "../introspection/reflected-schema.js";
import type { ColumnType } from "../schema/column-type.js";
import { NUMBER_TEXT } from "../dialect/sql-text.js";
import { isSqlExpression, sql } from "../schema/sql-expression.js";
import type { ColumnDefinition } from "../schema/table-elements.js";
import type { CompareDialect, CompareOptions } from "./compare-schemas.js";
import type { ExistingColumn, SchemaDiff } from "./schema-diff.js";
import { conditionText } from "./condition-text.js";
import { defaultText, standardTypeText, typeKeyFromText, typesDiffer } from "./type-comparison.js";

/**
 * A declared column against the reflected one of the same name: type,
 * nullability, server default (when `compareServerDefault` is on) and
 * comment, in that order. `rowid`: the column is SQLite's rowid alias.
 */
export function compareColumn(
  table: string,
  schema: string | undefined,
  declared: ColumnDefinition,
  reflected: ColumnDefinition,
  options: CompareOptions,
  rowid = false,
): SchemaDiff[] {
  // The rowid alias (SQLite) is INTEGER whatever integer type was declared for it.
  const rowidAlias = rowid && isIntegerKind(declared.type) && isIntegerKind(reflected.type);
  const typeChange = !rowidAlias && typeChanged(table, declared, reflected, options);
  const nullable = reflected.options.nullable ?? true;
  const wantNullable = declared.options.nullable ?? true;
  const defaultChange = defaultChanged(table, declared, reflected, options);
  const comment = reflected.options.comment ?? null;
  const wantComment = declared.options.comment ?? null;
  const commentChange = options.comments !== false && wantComment !== comment;
  const computed = reflected.options.computed;
  if (computed !== undefined || declared.options.computed !== undefined) {
    warnComputed(table, schema, declared, reflected, options.onWarning);
  }
  // Most columns match: the objects below are made only for one that does not.
  if (!typeChange && wantNullable === nullable && !defaultChange && !commentChange) return NO_DIFFS;
  const stored = (reflected as { computedStored?: boolean }).computedStored;
  const existing: ExistingColumn = {
    type: reflected.type,
    nullable,
    serverDefault: reflected.options.serverDefault ?? null,
    comment,
    ...(reflected.options.autoincrement === true ? { autoincrement: true as const } : {}),
    // A MODIFY (MySQL) restates it; VIRTUAL is said, STORED is what a bare expression means.
    ...(computed === undefined ? {} : { computed: stored === false ? { expression: computed, stored } : computed }),
  };
  const base = { ...(schema === undefined ? {} : { schema }), table, column: declared.name, existing };
  const diffs: SchemaDiff[] = [];
  if (typeChange) diffs.push({ kind: "modify_type", ...base, from: reflected.type, to: declared.type });
  if (wantNullable !== nullable) diffs.push({ kind: "modify_nullable", ...base, from: nullable, to: wantNullable });
  if (defaultChange) {
    diffs.push({
      kind: "modify_default",
      ...base,
      from: existing.serverDefault,
      to: declared.options.serverDefault ?? null,
    });
  }
  if (commentChange) diffs.push({ kind: "modify_comment", ...base, from: comment, to: wantComment });
  return diffs;
}

const NO_DIFFS: SchemaDiff[] = [];

/**
 * Whether a column is generated, and from what, is not something an
 * `alterColumn` changes (as in Alembic, which warns `Computed default on
 * t.c cannot be modified`): a column declared computed that the database
 * has as a plain one, the reverse, or another expression, is told to
 * `warn` and planned as nothing. Expressions compare as the server writes
 * them back (`conditionText`: PostgreSQL's casts and parentheses), or as
 * Alembic compares them (no blanks, parentheses, quotes, MySQL's
 * `_utf8mb4` introducers and backslashes; lower case).
 */
function warnComputed(
  table: string,
  schema: string | undefined,
  declared: ColumnDefinition,
  reflected: ColumnDefinition,
  warn: ((message: string) => void) | undefined,
): void {
  if (warn === undefined) return;
  const wanted = declared.options.computed;
  const found = reflected.options.computed;
  const generated = (expression: { readonly text: string }) => `GENERATED ALWAYS AS (${expression.text})`;
  let problem: string;
  if (wanted === undefined && found !== undefined) {
    problem = `is declared a plain column, but the database has it ${generated(found)}`;
  } else if (wanted !== undefined && found === undefined) {
    problem = `is declared ${generated(wanted)}, but the database has a plain column`;
  } else if (wanted !== undefined && found !== undefined && !sameExpression(wanted.text, found.text)) {
    problem = `is declared ${generated(wanted)}, but the database has ${generated(found)}`;
  } else {
    return;
  }
  const name = `${schema === undefined ? "" : `${schema}.`}${table}.${declared.name}`;
  warn(
    `Computed default on ${name} cannot be modified: the column ${problem}. Autogenerate writes nothing for this ` +
      "and check does not fail on it: to change it, drop the column and add it again (op.dropColumn, op.addColumn).",
  );
}

function sameExpression(declared: string, found: string): boolean {
  const loose = (text: string) =>
    text
      .replaceAll("\\", "")
      .replace(/(?<!\w)_[a-z0-9]+(?=')/gi, "")
      .replace(/[\s()'"`[\]]/g, "")
      .toLowerCase();
  if (loose(declared) === loose(found)) return true;
  try {
    return conditionText(declared) === conditionText(found);
  } catch {
    return false;
  }
}

function typeChanged(
  table: string,
  declared: ColumnDefinition,
  reflected: ColumnDefinition,
  options: CompareOptions,
): boolean {
  const setting = options.compareType ?? true;
  if (setting === false) return false;
  if (typeof setting === "function") {
    const answer = setting({ table, column: declared.name, inspected: reflected, declared });
    if (answer !== undefined) return answer;
  }
  return typeDiffers(declared.type, reflected, options);
}

/**
 * Type keys by side and type text, per dialect: a schema has few distinct
 * type texts, and parsing each once keeps the comparison of a large schema
 * short.
 */
const typeKeys = new WeakMap<CompareDialect, Map<string, TypeKey>>();

function typeKey(dialect: CompareDialect, text: string, side: TypeSide): TypeKey {
  let keys = typeKeys.get(dialect);
  if (keys === undefined) {
    keys = new Map();
    typeKeys.set(dialect, keys);
  }
  const cacheKey = `${side}:${text}`;
  let key = keys.get(cacheKey);
  if (key === undefined) {
    const introspector = dialect.introspector;
    key = typeKeyFromText(
      text,
      introspector?.comparableType === undefined
        ? undefined
        : (found) => introspector.comparableType?.(found, side) ?? found,
    );
    keys.set(cacheKey, key);
  }
  return key;
}

/** Whether the declared type differs from the reflected column's, after the dialect's synonyms. */
export function typeDiffers(declared: ColumnType, reflected: ColumnDefinition, options: CompareOptions): boolean {
  if (declared.kind === "enum" && options.nativeEnum) {
    if (reflected.type.kind === "enum" && options.enumTypes === false) {
      // An enum on the column (MySQL) is its values, in order.
      const values = reflected.type.values;
      return values.length !== declared.values.length || values.some((value, at) => value !== declared.values[at]);
    }
    if (reflected.type.kind === "enum") return reflected.type.name !== declared.name;
  } else if (declared.kind === "enum") {
    // Without native enums, an enum is a string column with a CHECK named after it. Where the
    // introspector recognises that CHECK (the column reads back as an enum), the name and the
    // values are compared; a plain string column is not (as Alembic, which compares neither).
    if (reflected.type.kind !== "enum") return false;
    // A CHECK named by the schema module's convention (`ck_users_mood`, as SQLAlchemy names it) is the enum's too.
    const sameName = reflected.type.name === declared.name || reflected.type.name === declared.checkName;
    return !sameName || !sameValues(reflected.type.values, declared.values);
  }
  const reported = (reflected as { reportedType?: string }).reportedType;
  const typeText = dialectTypeText(options.dialect);
  const reflectedKey = typeKey(options.dialect, reported ?? typeText(reflected.type), "reflected");
  const declaredKey = typeKey(options.dialect, typeText(declared), "declared");
  return typesDiffer(declaredKey, reflectedKey);
}

function defaultChanged(
  table: string,
  declared: ColumnDefinition,
  reflected: ColumnDefinition,
  options: CompareOptions,
): boolean {
  const setting = options.compareServerDefault ?? false;
  if (setting === false) return false;
  // Sequences behind SERIAL/IDENTITY and computed columns are not server defaults to compare.
  if (declared.options.autoincrement || reflected.options.autoincrement) return false;
  if (declared.options.computed !== undefined || reflected.options.computed !== undefined) return false;
  const current = reflected.options.serverDefault;
  if (isSqlExpression(current) && /^nextval\(/i.test(current.text.trim())) return false;
  if (typeof setting === "function") {
    const answer = setting({
      table,
      column: declared.name,
      inspected: current ?? null,
      declared: declared.options.serverDefault ?? null,
    });
    if (answer !== undefined) return answer;
  }
  const literal = (value: unknown) => options.dialect.renderLiteral(value);
  const wanted = defaultText(declaredDefault(declared, options), literal);
  const found = defaultText(current, literal);
  // Two spellings of one number (`0.00` and `0.0000` when a DECIMAL's scale changes) are one default.
  if (wanted !== undefined && found !== undefined && NUMBER_TEXT.test(wanted) && NUMBER_TEXT.test(found)) {
    return canonicalNumber(wanted) !== canonicalNumber(found);
  }
  return wanted !== found;
}

/**
 * One spelling of a decimal number, digit for digit (no float rounding: a
 * 20-digit default stays itself): no `+`, no leading zeros, no trailing
 * zeros after the point.
 */
function canonicalNumber(text: string): string {
  if (/e/i.test(text)) return String(Number(text));
  const negative = text.startsWith("-");
  const [whole = "", fraction = ""] = text.replace(/^[+-]/, "").split(".");
  const digits = whole.replace(/^0+/, "") || "0";
  const decimals = fraction.replace(/0+$/, "");
  const body = decimals === "" ? digits : `${digits}.${decimals}`;
  return negative && body !== "0" ? `-${body}` : body;
}

/**
 * The declared default as the database reports it back, where the
 * introspector knows how (`normalizeDefault`: MySQL keeps `1.5` on a
 * DECIMAL(10, 2) as `1.50`, a boolean as `0`/`1`).
 */
function declaredDefault(
  declared: ColumnDefinition,
  options: CompareOptions,
): ColumnDefinition["options"]["serverDefault"] {
  const value = declared.options.serverDefault;
  const introspector = options.dialect.introspector;
  if (value === undefined || introspector?.normalizeDefault === undefined) return value;
  const text = isSqlExpression(value) ? value.text : options.dialect.renderLiteral(value);
  return sql(introspector.normalizeDefault(text, declared.type));
}

/** A dialect's type text: its own (`Dialect.typeText`), or standard SQL's. */
export function dialectTypeText(dialect: Pick<Dialect, "typeText">): (type: ColumnType) => string {
  return (type) => dialect.typeText?.(type) ?? standardTypeText(type);
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, at) => value === b[at]);
}

export function isIntegerKind(type: ColumnType): boolean {
  return type.kind === "integer" || type.kind === "bigInteger" || type.kind === "smallInteger";
}
