#!/usr/bin/env bash
# Renders the demo's HTML report in headless Chromium and fails on a blank
# or broken page: the screenshot must have enough non-white pixels and the
# DOM must hold the report's sections and at least two SVG figures.
set -euo pipefail
report=$1
work=$(mktemp -d)
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile")
timeout 120 chromium "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --window-size=1200,1600 --screenshot="$work/shot.png" "file://$report" >/dev/null 2>&1
for want in "Glutamate by group" "Glutamate and sleep" "Linear model" "Provenance"; do
  grep -q "$want" "$work/dom.html" || { echo "report check: rendered DOM lacks \"$want\""; exit 1; }
done
svgs=$(grep -o "<svg" "$work/dom.html" | wc -l)
[ "$svgs" -ge 2 ] || { echo "report check: $svgs SVG figures in the rendered DOM, want at least 2"; exit 1; }
size=$(stat -c %s "$work/shot.png")
[ "$size" -gt 20000 ] || { echo "report check: screenshot is $size bytes: blank page?"; exit 1; }
echo "report check: rendered in Chromium; $svgs figures; screenshot $size bytes"
