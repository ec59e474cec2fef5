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

# --- requirejs: the package ships only the unminified require.js; minify it
# with the UglifyJS that r.js (same package) embeds. The @license header stays.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$nm/requirejs/require.js" "$tmp/reqjs.js"
node "$nm/requirejs/bin/r.js" -o baseUrl="$tmp" name=reqjs out="$out/require.min.js" \
  optimize=uglify skipModuleInsertion=true preserveLicenseComments=true >/dev/null
# No LICENSE file in the package either: keep its header and the MIT terms.
{
  echo "RequireJS $(ver requirejs) (npm package requirejs). The package ships no LICENSE file;"
  echo "its source header reads:"
  echo
  sed -n '2,3p' "$nm/requirejs/require.js" | sed 's/^ \* \{0,1\}//'
  echo
  cat <<'EOF'
MIT License

Copyright jQuery Foundation and other contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF
} > "$out/requirejs.LICENSE.txt"

# --- @jupyter-widgets/html-manager: embed-amd.js (AMD; needs require.js first).
# It bundles @jupyter-widgets/base, controls (ipywidgets 8) and base7/controls7
# (ipywidgets 7) and the output widget. Its Font Awesome 5 fonts are separate
# webpack assets (hashed names); copy the woff2/woff ones next to it (no
# current browser asks for the eot/ttf/svg variants).
hm="$nm/@jupyter-widgets/html-manager"
mkdir -p "$out/jupyter-widgets"
cp "$hm/dist/embed-amd.js" "$out/embed-amd.js"
# Our own loader glue (kept in tools/vendor/): maps embed-amd.js's font URLs
# into jupyter-widgets/ and its CDN fallback to a local folder.
cp "$here/widgets-config.js" "$out/widgets-config.js"
cp "$hm"/dist/*.woff2 "$hm"/dist/*.woff "$out/jupyter-widgets/"
# html-manager ships no LICENSE file; the ipywidgets monorepo's BSD-3-Clause
# text is carried by its sibling package @jupyter-widgets/schema.
cp "$nm/@jupyter-widgets/schema/LICENSE"        "$out/html-manager.LICENSE.txt"
cp "$hm/dist/embed.js.LICENSE.txt"              "$out/html-manager.THIRD-PARTY.txt"
cp "$nm/@fortawesome/fontawesome-free/LICENSE.txt" "$out/jupyter-widgets/fontawesome.LICENSE.txt"

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
  row requirejs "require.min.js" "$(lic requirejs) (\`requirejs.LICENSE.txt\`)" "\`require.js\`, minified with the package's own \`bin/r.js\`"
  row @jupyter-widgets/html-manager "embed-amd.js" "$(lic @jupyter-widgets/html-manager) (\`html-manager.LICENSE.txt\`; bundled third-party notices: \`html-manager.THIRD-PARTY.txt\`)" '`dist/embed-amd.js`'
  row @fortawesome/fontawesome-free "jupyter-widgets/*.woff2, *.woff" "fonts: SIL OFL 1.1 (\`jupyter-widgets/fontawesome.LICENSE.txt\`)" "the copies in \`@jupyter-widgets/html-manager/dist/\` (webpack-hashed names)"
  row mathjax "mathjax/tex-svg.js" "$(lic mathjax) (\`mathjax/mathjax.LICENSE.txt\`)" '`es5/tex-svg.js` (loaded only on pages with maths)'
  echo '| `widgets-config.js` | this repository | - | the repository'"'"'s | written here: `tools/vendor/widgets-config.js` |'
  cat <<EOF

Not served, kept beside the vendoring scripts:

| file | npm package | version | licence |
| --- | --- | --- | --- |
| \`tools/vendor/dist/axe.min.js\` (browser accessibility tests) | \`axe-core\` | $(ver axe-core) | $(lic axe-core) (\`tools/vendor/dist/axe-core.LICENSE.txt\`) |
| \`data/geo/region-$GEO_RESOLUTION.topojson.json\` (see \`data/geo/README.md\`) | \`world-atlas\` | $(ver world-atlas) | $(lic world-atlas); shapes Natural Earth, public domain |

Notes for pages using these files:

- \`vega.min.js\`, \`vega-lite.min.js\`, \`vega-embed.min.js\` are UMD builds. With
  no AMD loader on the page they set the globals \`vega\`, \`vegaLite\`,
  \`vegaEmbed\` (load them in that order). If \`require.min.js\` has run first
  (\`define.amd\` exists) they instead call an *anonymous* \`define()\`, set no
  global, and requirejs throws "Mismatched anonymous define() module". Then
  either load them before \`require.min.js\`, or load them through requirejs
  (\`requirejs.config({paths: {vega: ".../vega.min", "vega-lite":
  ".../vega-lite.min", "vega-embed": ".../vega-embed.min"}})\`, then
  \`require(["vega-embed"], ...)\`).
- Widgets (myst-nb adds these only to pages whose notebook saved widget state)
  load in this order: \`require.min.js\`, \`widgets-config.js\`, \`embed-amd.js\`,
  e.g. in \`_config.yml\`:

      sphinx:
        config:
          nb_ipywidgets_js:
            vendor/require.min.js: {}
            vendor/widgets-config.js: {}
            vendor/embed-amd.js: {}

  \`embed-amd.js\` bundles \`@jupyter-widgets/base\`, \`controls\` and \`output\`
  (ipywidgets 8, and 7 via base7/controls7). For any other widget module it
  falls back to the public jsDelivr CDN; \`widgets-config.js\` points
  that fallback at the local \`jupyter-widgets/not-vendored/\` (a 404, no CDN)
  and makes the Font Awesome fonts resolve to \`jupyter-widgets/\`.
- \`vega-embed\`'s "Open in Vega Editor" action opens the online Vega Editor
  on click; pass \`actions: {editor: false}\` (or \`actions: false\`) to hide it.
EOF
} > "$out/README.md"

echo "vendored into $out, $dist and $geo:"
( cd "$repo" && find book/_static/vendor tools/vendor/dist data/geo -type f -printf '%10s  %p\n' | sort -k2 )
