#!/usr/bin/env bash
# Renders the demo's HTML report in headless Chromium and fails on a blank
# or broken page (the screenshot must have enough non-white pixels and the
# DOM must hold the report's sections and SVG figures), and, at 1280 and
# 390 px wide, on any figure text rendered smaller than 8 px or any data
# mark (the children of each figure's g.marks) reaching outside its plot
# area (rect.plot-area), measured in the rendered SVG with every collapsed
# figure opened.
set -euo pipefail
report=$1
work=$(mktemp -d)
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile")
timeout 120 chromium "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --window-size=1200,1600 --screenshot="$work/shot.png" "file://$report" >/dev/null 2>&1
for want in "Glutamate by group" "Glutamate and sleep" "Linear model" "Provenance" "QC sensitivity analysis" "MRSinMRS checklist" "Methods"; do
  grep -q "$want" "$work/dom.html" || { echo "report check: rendered DOM lacks \"$want\""; exit 1; }
done
svgs=$(grep -o "<svg" "$work/dom.html" | wc -l)
[ "$svgs" -ge 2 ] || { echo "report check: $svgs SVG figures in the rendered DOM, want at least 2"; exit 1; }
size=$(stat -c %s "$work/shot.png")
[ "$size" -gt 20000 ] || { echo "report check: screenshot is $size bytes: blank page?"; exit 1; }
for f in "$(dirname "$report")"/mrsinmrs.tsv "$(dirname "$report")"/methods.md; do
  [ -s "$f" ] || { echo "report check: $f missing or empty"; exit 1; }
done

# The measuring script: appended to a copy of the report (the report itself
# has no scripts), its verdict written into the DOM for --dump-dom.
cat > "$work/measure.js" <<'JS'
(function () {
  var out = [], minFont = 1e9, texts = 0, marks = 0;
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  document.querySelectorAll('figure svg text').forEach(function (t) {
    if (!t.textContent.trim()) return;
    var m = t.getScreenCTM(); if (!m) return;
    var px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(m.a * m.a + m.b * m.b);
    texts++; if (px < minFont) minFont = px;
    if (px < 8) out.push('text "' + t.textContent.trim().slice(0, 40) + '" at ' + px.toFixed(2) + ' px');
  });
  document.querySelectorAll('figure svg').forEach(function (s) {
    if (!s.querySelector('svg') && !s.querySelector(':scope > rect.plot-area'))
      out.push('a figure without a marked plot area (rect.plot-area): its marks cannot be checked');
  });
  document.querySelectorAll('figure svg rect.plot-area').forEach(function (r) {
    var x0 = r.x.baseVal.value, y0 = r.y.baseVal.value, x1 = x0 + r.width.baseVal.value, y1 = y0 + r.height.baseVal.value;
    var g = r.parentNode.querySelector(':scope > g.marks'); if (!g) return;
    Array.prototype.forEach.call(g.children, function (e) {
      var b = e.getBBox(); marks++;
      if (b.x < x0 - 0.51 || b.y < y0 - 0.51 || b.x + b.width > x1 + 0.51 || b.y + b.height > y1 + 0.51)
        out.push('<' + e.tagName + '> outside its plot area: ' + [b.x, b.y, b.x + b.width, b.y + b.height].map(function (v) { return v.toFixed(1); }).join(','));
    });
  });
  var p = document.createElement('pre'); p.id = 'glusleep-check';
  p.textContent = 'CHECK texts=' + texts + ' marks=' + marks + ' minfont=' + minFont.toFixed(2) + ' problems=' + out.length + '\n' + out.slice(0, 20).join('\n');
  document.body.appendChild(p);
})();
JS
copy="$work/report-measured.html" # the report is self-contained: it renders the same anywhere
{ sed -e 's#</body>#<script>#' -e 's#</html>##' "$report"; cat "$work/measure.js"; echo '</script></body></html>'; } > "$copy"
fail=0
for width in 1280 390; do
  timeout 300 chromium "${flags[@]}" --window-size=$width,2000 --dump-dom "file://$copy" > "$work/m$width.html" 2>/dev/null || true
  verdict=$(sed -n '/<pre id="glusleep-check">/,/<\/pre>/p' "$work/m$width.html" | sed 's/<[^>]*>//g')
  [ -n "$verdict" ] || { echo "report check: no measurement at $width px"; exit 1; }
  echo "report check at $width px: $(echo "$verdict" | head -1)"
  if ! echo "$verdict" | head -1 | grep -q 'problems=0$'; then
    echo "$verdict" | tail -n +2 | sed 's/^/  /'
    fail=1
  fi
done
[ "$fail" = 0 ] || { echo "report check: figures fail at 1280 or 390 px"; exit 1; }
echo "report check: rendered in Chromium; $svgs figures; screenshot $size bytes"
