/**
 * `import(specifier)`, for the code of Retort's bundles. The `retort`
 * command compiles its bundles as scripts with a V8 code cache (see
 * apps/cli/src/code-cache.ts), and a dynamic `import()` written inside such
 * a script has no module loader to go to: it throws
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. The bundle step
 * (scripts/bundle-dist.mjs) keeps this module out of the bundle, as a small
 * `dynamic-import.cjs` beside it that Node loads as usual, and fails the
 * build on any `import(` left in a bundle. A bare specifier resolves from
 * @retort/core's folder, as it did from the bundle.
 *
 * ```ts
 * const { createHash } = await dynamicImport<typeof import("node:crypto")>("node:crypto");
 * ```
 */
export function dynamicImport<T = Record<string, unknown>>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
