/**
 * `@retort/core/errors`: the error classes and stack helpers alone, for a
 * caller that needs them before (or without) the rest of the package. The
 * `retort` command imports this at start-up and the command functions
 * (`@retort/core/commands`) only when a command runs, so `retort --version` loads a handful of modules; the
 * drivers import their error classes from here. The classes are the same
 * objects as those `@retort/core` exports.
 */
export * from "./retort-error.js";
export * from "./database-error.js";
export { ParameterMismatchError } from "../pipeline/parameter-mismatch-error.js";
export {
  formatLocation,
  locationIn,
  type SourceLocation,
  sourceMappedStack,
  stackFrames,
} from "./source-location.js";
