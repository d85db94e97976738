/** `-x KEY=VALUE` → `{ KEY: "VALUE" }`; a bare `-x KEY` maps to `""`, as Alembic's `get_x_argument(as_dictionary=True)`. */
export function parseXArgs(list: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of list) {
    const equals = item.indexOf("=");
    if (equals === -1) result[item] = "";
    else result[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return result;
}
