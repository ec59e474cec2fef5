#!/usr/bin/env bash
# Refresh the vendored front-end assets (run as `make vendor`, or directly).
#
#   tools/vendor/package.json + package-lock.json  pin every version (exact).
#   book/_static/vendor/     browser builds served by the book + licences + README.md
#   tools/vendor/dist/       axe.min.js for the browser tests (not served)
#   data/geo/                region TopoJSON cut from world-atlas (make_region.mjs)
#
# Needs node + npm and the npm registry; nothing is fetched from a CDN, and
# nothing written here refers to one. Re-running it is idempotent: outputs
# are deleted and rewritten from node_modules, so stale files disappear.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/book/_static/vendor"
dist="$here/dist"
geo="$repo/data/geo"
nm="$here/node_modules"
# Resolution of the country shapes: 110m keeps Armenia and Tajikistan
# recognisable at ~21 kB; 50m adds enclaves/detail at ~144 kB.
GEO_RESOLUTION="${GEO_RESOLUTION:-110m}"

cd "$here"
# --ignore-scripts: only prebuilt files are copied, no package needs to build.
npm ci --ignore-scripts --no-audit --no-fund

ver() { node -p "require('$nm/$1/package.json').version"; }
lic() { node -p "require('$nm/$1/package.json').license"; }

rm -rf "$out" "$dist"
mkdir -p "$out" "$dist" "$geo"

# --- vega, vega-lite, vega-embed: UMD builds (globals vega, vegaLite, vegaEmbed)
cp "$nm/vega/build/vega.min.js"                "$out/vega.min.js"
cp "$nm/vega-lite/build/vega-lite.min.js"      "$out/vega-lite.min.js"
cp "$nm/vega-embed/build/vega-embed.min.js"    "$out/vega-embed.min.js"
# The vega npm package ships no LICENSE file; every vega-* package of the same
# monorepo (bundled into vega.min.js) carries the identical BSD-3-Clause text.
cp "$nm/vega-view/LICENSE"                     "$out/vega.LICENSE.txt"
cp "$nm/vega-lite/LICENSE"                     "$out/vega-lite.LICENSE.txt"
cp "$nm/vega-embed/LICENSE"                    "$out/vega-embed.LICENSE.txt"

# --- MathJax 3: tex-svg.js is one self-contained file (fonts drawn as SVG paths, so no
# font files to fetch). Sphinx loads it only on pages with maths (mathjax_path).
mkdir -p "$out/mathjax"
cp "$nm/mathjax/es5/tex-svg.js" "$out/mathjax/tex-svg.js"
cp "$nm/mathjax/LICENSE"        "$out/mathjax/mathjax.LICENSE.txt"

# --- axe-core: for the browser tests only, not served by the book.
cp "$nm/axe-core/axe.min.js"  "$dist/axe.min.js"
cp "$nm/axe-core/LICENSE"     "$dist/axe-core.LICENSE.txt"

# --- country shapes (world-atlas / Natural Earth)
cp "$nm/world-atlas/LICENSE" "$geo/world-atlas.LICENSE.txt"
node "$here/make_region.mjs" --resolution "$GEO_RESOLUTION" \
  --out "$geo/region-$GEO_RESOLUTION.topojson.json"

# --- README listing what is here (generated, so versions never drift)
row() { # package file licence path-in-package
  printf '| `%s` | %s | %s | %s | npm `%s@%s`: %s |\n' "$2" "$1" "$(ver "$1")" "$3" "$1" "$(ver "$1")" "$4"
}
{
  cat <<'EOF'
# Vendored front-end assets

Served by the book from `_static/vendor/`, so no page loads anything from a
third-party CDN. **Generated: do not edit by hand.** Versions are pinned
exactly in `tools/vendor/package.json` / `package-lock.json`; refresh with

    make vendor          # runs tools/vendor/vendor.sh (npm ci + copy)

| file | package | version | licence | source |
| --- | --- | --- | --- | --- |
EOF
  row vega "vega.min.js" "$(lic vega) (\`vega.LICENSE.txt\`)" '`build/vega.min.js`'
  row vega-lite "vega-lite.min.js" "$(lic vega-lite) (\`vega-lite.LICENSE.txt\`)" '`build/vega-lite.min.js`'
  row vega-embed "vega-embed.min.js" "$(lic vega-embed) (\`vega-embed.LICENSE.txt\`)" '`build/vega-embed.min.js`'
  row mathjax "mathjax/tex-svg.js" "$(lic mathjax) (\`mathjax/mathjax.LICENSE.txt\`)" '`es5/tex-svg.js` (loaded only on pages with maths)'
  cat <<EOF

Not served, kept beside the vendoring scripts:

| file | npm package | version | licence |
| --- | --- | --- | --- |
| \`tools/vendor/dist/axe.min.js\` (browser accessibility tests) | \`axe-core\` | $(ver axe-core) | $(lic axe-core) (\`tools/vendor/dist/axe-core.LICENSE.txt\`) |
| \`data/geo/region-$GEO_RESOLUTION.topojson.json\` (see \`data/geo/README.md\`) | \`world-atlas\` | $(ver world-atlas) | $(lic world-atlas); shapes Natural Earth, public domain |

Notes for pages using these files:

- \`vega.min.js\`, \`vega-lite.min.js\`, \`vega-embed.min.js\` are UMD builds. With
  no AMD loader on the page they set the globals \`vega\`, \`vegaLite\`,
  \`vegaEmbed\` (load them in that order). The site loads no AMD loader: where
  one (such as requirejs) has run first (\`define.amd\` exists), they instead
  call an *anonymous* \`define()\` and set no global, so load them before it.
- \`vega-embed\`'s "Open in Vega Editor" action opens the online Vega Editor
  on click; pass \`actions: {editor: false}\` (or \`actions: false\`) to hide it.
EOF
} > "$out/README.md"

echo "vendored into $out, $dist and $geo:"
( cd "$repo" && find book/_static/vendor tools/vendor/dist data/geo -type f -printf '%10s  %p\n' | sort -k2 )
