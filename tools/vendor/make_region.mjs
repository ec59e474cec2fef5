#!/usr/bin/env node
// Build data/geo/region-<res>.topojson.json from world-atlas (Natural Earth).
//
// Keeps only the countries listed below in objects.countries, drops the
// world-wide objects.land, prunes the arcs no kept country uses, re-indexes
// the rest and recomputes the bbox. The output is valid TopoJSON (same
// quantisation transform as the source) and is byte-for-byte reproducible.
//
// Usage: node tools/vendor/make_region.mjs [--resolution 110m|50m] [--out FILE]
// Called by tools/vendor/vendor.sh (make vendor). No dependencies beyond
// world-atlas in tools/vendor/node_modules.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");

// ISO 3166-1 numeric ids, as world-atlas spells them (zero-padded strings).
// "core": the countries the course is about; "context": neighbours kept so
// the map reads well (style them in grey).
export const CORE = {
  "051": "Armenia", "031": "Azerbaijan", "112": "Belarus", "268": "Georgia",
  "398": "Kazakhstan", "417": "Kyrgyzstan", "643": "Russia", "762": "Tajikistan",
  "860": "Uzbekistan", "795": "Turkmenistan", "804": "Ukraine", "498": "Moldova",
  "156": "China", "496": "Mongolia", "004": "Afghanistan", "364": "Iran",
  "792": "Turkey",
};
export const CONTEXT = {
  "616": "Poland", "440": "Lithuania", "428": "Latvia", "233": "Estonia",
  "246": "Finland", "586": "Pakistan", "356": "India",
  "642": "Romania", "368": "Iraq", "760": "Syria",
};
// Natural Earth units that have no ISO id in world-atlas but sit inside the
// region; kept by name so no hole appears (50m only has Siachen Glacier).
const CONTEXT_BY_NAME = ["Siachen Glacier"];

function parseArgs(argv) {
  const opts = { resolution: "110m", out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--resolution") opts.resolution = argv[++i];
    else if (a === "--out") opts.out = argv[++i];
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!["110m", "50m", "10m"].includes(opts.resolution)) {
    throw new Error(`--resolution must be 110m, 50m or 10m, not ${opts.resolution}`);
  }
  opts.out ??= join(repo, "data", "geo", `region-${opts.resolution}.topojson.json`);
  return opts;
}

function mapArcs(geom, fn) {
  // Polygon: arcs = [ring][arcIndex]; MultiPolygon: arcs = [poly][ring][arcIndex]
  if (geom.type === "Polygon") return geom.arcs.map((ring) => ring.map(fn));
  if (geom.type === "MultiPolygon") return geom.arcs.map((p) => p.map((ring) => ring.map(fn)));
  throw new Error(`unexpected geometry type ${geom.type}`);
}

// Crimea: Natural Earth draws de facto control, with Crimea as a polygon of Russia. The
// course shows internationally recognised boundaries (UN General Assembly resolution
// 68/262 of 2014-03-27 affirms Ukraine's territorial integrity), so that polygon is moved
// to Ukraine and merged with it (topojson-client's mergeArcs drops the shared boundary).
const CRIMEA_BOX = { lon: [32.0, 37.0], lat: [44.0, 46.5] };

function polygonInBox(topo, polygon, box) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  for (const ring of polygon) {
    for (const i of ring) {
      let x = 0, y = 0;
      for (const [dx, dy] of topo.arcs[i < 0 ? ~i : i]) {
        x += dx; y += dy;
        const lon = x * sx + tx, lat = y * sy + ty;
        if (lon < box.lon[0] || lon > box.lon[1] || lat < box.lat[0] || lat > box.lat[1]) return false;
      }
    }
  }
  return true;
}

export function recogniseCrimea(topo, mergeArcs) {
  const geoms = topo.objects.countries.geometries;
  const russia = geoms.find((g) => g.id === "643");
  const ukraine = geoms.find((g) => g.id === "804");
  const index = russia.arcs.findIndex((polygon) => polygonInBox(topo, polygon, CRIMEA_BOX));
  if (index < 0) throw new Error("Crimea polygon not found in Russia's geometry");
  const crimea = russia.arcs.splice(index, 1)[0];
  const ukrainePolygons = ukraine.type === "Polygon" ? [ukraine.arcs] : ukraine.arcs;
  const merged = mergeArcs(topo, ukrainePolygons.concat([crimea]).map((arcs) => ({ type: "Polygon", arcs })));
  ukraine.type = merged.type;
  ukraine.arcs = merged.arcs;
  if (merged.type === "MultiPolygon" && merged.arcs.length === 1) {
    ukraine.type = "Polygon";
    ukraine.arcs = merged.arcs[0];
  }
}

export function buildRegion(topo) {
  const wanted = [];
  const seen = new Set();
  for (const g of topo.objects.countries.geometries) {
    const name = g.properties?.name;
    let role = null;
    if (g.id !== undefined && g.id in CORE) role = "core";
    else if (g.id !== undefined && g.id in CONTEXT) role = "context";
    else if (g.id === undefined && CONTEXT_BY_NAME.includes(name)) role = "context";
    if (!role) continue;
    seen.add(g.id ?? name);
    wanted.push({ g, role });
  }
  for (const id of [...Object.keys(CORE), ...Object.keys(CONTEXT)]) {
    if (!seen.has(id)) throw new Error(`country ${id} (${CORE[id] ?? CONTEXT[id]}) not found`);
  }

  // Re-index the arcs the kept geometries use, in order of first use.
  const newIndex = new Map();
  const arcs = [];
  const remap = (i) => {
    const old = i < 0 ? ~i : i;
    let n = newIndex.get(old);
    if (n === undefined) {
      n = arcs.length;
      newIndex.set(old, n);
      arcs.push(topo.arcs[old]);
    }
    return i < 0 ? ~n : n;
  };
  const geometries = wanted.map(({ g, role }) => {
    const out = { type: g.type, arcs: mapArcs(g, remap) };
    if (g.id !== undefined) out.id = g.id;
    out.properties = { name: g.properties.name, role };
    return out;
  });

  // bbox from the kept (delta-encoded, quantised) arcs.
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const arc of arcs) {
    let x = 0, y = 0;
    for (const [dx, dy] of arc) {
      x += dx; y += dy;
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
  }
  const r = (v) => Math.round(v * 1e6) / 1e6;
  return {
    type: "Topology",
    bbox: [r(x0 * sx + tx), r(y0 * sy + ty), r(x1 * sx + tx), r(y1 * sy + ty)],
    transform: topo.transform,
    objects: { countries: { type: "GeometryCollection", geometries } },
    arcs,
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const require = createRequire(join(here, "package.json"));
  const src = require.resolve(`world-atlas/countries-${opts.resolution}.json`);
  const version = require("world-atlas/package.json").version;
  const topo = JSON.parse(readFileSync(src, "utf8"));
  const { mergeArcs } = require("topojson-client");
  recogniseCrimea(topo, mergeArcs);
  const region = buildRegion(topo);
  mkdirSync(dirname(opts.out), { recursive: true });
  const text = JSON.stringify(region) + "\n";
  writeFileSync(opts.out, text);
  const n = region.objects.countries.geometries.length;
  console.log(
    `world-atlas@${version} countries-${opts.resolution}: kept ${n} of ` +
      `${topo.objects.countries.geometries.length} countries, ${region.arcs.length} of ` +
      `${topo.arcs.length} arcs -> ${opts.out} (${text.length} bytes)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
