#!/usr/bin/env bash
# Refresh static/vendor/ from the pinned npm packages of package.json:
# the built files the page loads and each package's licence.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
n=node_modules
v=static/vendor
rm -rf "$v" && mkdir -p "$v"/{leaflet,uplot,topojson-client,world-atlas}
cp "$n"/leaflet/dist/leaflet.{js,css} "$n"/leaflet/LICENSE "$v"/leaflet/
cp -r "$n"/leaflet/dist/images "$v"/leaflet/
cp "$n"/uplot/dist/uPlot.iife.min.js "$n"/uplot/dist/uPlot.min.css "$n"/uplot/LICENSE "$v"/uplot/
cp "$n"/topojson-client/dist/topojson-client.min.js "$n"/topojson-client/LICENSE "$v"/topojson-client/
cp "$n"/world-atlas/countries-{110m,50m}.json "$n"/world-atlas/LICENSE "$v"/world-atlas/
echo "vendored into $v"
