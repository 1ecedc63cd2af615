#!/usr/bin/env bash
# Validates a raw BIDS dataset with bids-validator 1.15.0 (npm) and fails on
# any error other than NOT_INCLUDED for files in mrs/ folders (the 1.x
# validator predates BIDS-MRS; the Go test TestDemoBIDSFollowsSchema checks
# those files against the BIDS 1.10.0 schema), or on a missing README or an
# undescribed column.
#
# usage: bids-check.sh BIDS_DIR
# BIDS_VALIDATOR_DIR may name a folder where bids-validator@1.15.0 is
# already installed (node_modules/); without it the validator is installed
# into a temporary folder. It is run with npx --no-install: never fetched
# at run time.
set -euo pipefail
ds=$(cd "$1" && pwd)
if ! command -v npm >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bv=${BIDS_VALIDATOR_DIR:-}
if [ -z "$bv" ]; then
  bv=$work/bv
  mkdir "$bv"
  (cd "$bv" && npm install --silent --no-audit --no-fund bids-validator@1.15.0 >/dev/null)
fi
out=$work/report.json
# The validator exits 1 when it finds errors; the verdict is ours.
# --verbose lists every file of an issue (without it only the first 10).
(cd "$bv" && npx --no-install bids-validator "$ds" --json --verbose >"$out") || true
node - "$out" <<'JS'
const fs = require("fs");
let r;
try {
  r = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
} catch (e) {
  console.error("bids-check: the validator wrote no JSON report: " + e.message);
  process.exit(2);
}
const rel = (f) => (f.file && f.file.relativePath) || "";
const mrs = /^\/sub-[^/]+\/(ses-[^/]+\/)?mrs\//;
const fatalWarnings = new Set(["README_FILE_MISSING", "CUSTOM_COLUMN_WITHOUT_DESCRIPTION"]);
let bad = 0;
for (const [kind, list] of [["error", r.issues.errors], ["warning", r.issues.warnings]]) {
  for (const i of list) {
    const files = i.files || [];
    let fail = kind === "error" || fatalWarnings.has(i.key);
    if (i.key === "NOT_INCLUDED" && !i.additionalFileCount && files.every((f) => mrs.test(rel(f)))) fail = false;
    if (fail) bad++;
    console.log(`${fail ? "FAIL" : "ok  "} ${kind} ${i.key} (${files.length} files)${files.length ? ": " + files.slice(0, 3).map(rel).join(", ") : ""}`);
  }
}
console.log(`bids-check: ${r.summary.totalFiles} files, ${r.issues.errors.length} error kinds, ${r.issues.warnings.length} warning kinds, ${bad} failing`);
process.exit(bad > 0 ? 1 : 0);
JS
