#!/usr/bin/env node
// Entry point for `incluster` and `kubectl-incluster`: loads the bundled CLI (npm run build).
import { main } from "../dist/cli.js";
main(process.argv.slice(2));
