#!/usr/bin/env node
// The executable is bin/retort.cjs (package.json's `bin`); this file stays
// for scripts that run `node …/retort/bin/retort.js` by path.
import "./retort.cjs";
