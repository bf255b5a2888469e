#!/usr/bin/env python3
"""Derive village-level places from ACLED's coded locations (data/gazetteer/acled_places.tsv.gz).

Most rural violence happens in villages below GeoNames' cities500 threshold;
ACLED has coded many of them with coordinates. Every row of the training
corpus whose `origin` is not `dev` and whose `geo_precision` is 1 (the exact
place) gives a (location, country, admin1, lat, lon) place; the `dev` rows are
left out so that the dev scores measure places the table did not learn from.

A location that GeoNames already knows by the same name within 25 km is left
out (the GeoNames entry keeps its population and feature code). Admin1/admin2
codes come from the nearest GeoNames place of the same country (within 100 km),
so the entries join the admin tables like any other place. ACLED's "Town -
Neighbourhood" locations and names with brackets are left out.

Output: the columns of places.tsv.gz (geonameid empty, feature_code `ACLED`,
population 0), sorted, gzip mtime 0: byte-for-byte reproducible.

Usage:  python3 scripts/build_acled_places.py [--acled CSV] [--out FILE]

ACLED data (c) ACLED, used under its terms of use (attribution required).
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import math
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "data" / "gazetteer"

# ACLED country names that GeoNames' names and our aliases do not cover.
COUNTRY_EXTRA = {
    "democratic republic of congo": "CD",
    "republic of congo": "CG",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "palestine": "PS",
    "eswatini": "SZ",
    "east timor": "TL",
    "czech republic": "CZ",
    "kosovo": "XK",
    "north macedonia": "MK",
    "bosnia and herzegovina": "BA",
    "united states": "US",
    "caribbean netherlands": "BQ",
    "saint-barthelemy": "BL",
    "micronesia": "FM",
}


def fold(s: str) -> str:
    """Lower case, accents off, single spaces: the key two spellings share."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace("-", " ").replace("'", "").split())


def ascii_name(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if ord(c) < 128 and not unicodedata.combining(c))


def tsv(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    return [l.split("\t") for l in lines[1:]]


def country_codes() -> dict[str, str]:
    codes = {}
    for r in tsv(GAZ / "countries.tsv"):
        names = [r[2]] + (r[7].split("|") if len(r) > 7 and r[7] else [])
        for n in names:
            codes.setdefault(fold(n), r[0])
    codes.update(COUNTRY_EXTRA)
    return codes


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


class Grid:
    """GeoNames places of one country in one-degree cells."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = collections.defaultdict(list)

    def add(self, point, admin1, admin2, keys) -> None:
        self.cells[(math.floor(point[0]), math.floor(point[1]))].append((point, admin1, admin2, keys))

    def near(self, point):
        la, lo = math.floor(point[0]), math.floor(point[1])
        for dla in (-1, 0, 1):
            for dlo in (-1, 0, 1):
                yield from self.cells.get((la + dla, lo + dlo), ())


def geonames_grids() -> dict[str, Grid]:
    grids: dict[str, Grid] = collections.defaultdict(Grid)
    for r in tsv(GAZ / "places.tsv.gz"):
        names = [r[1], r[2]] + (r[10].split("|") if len(r) > 10 and r[10] else [])
        grids[r[3]].add((float(r[8]), float(r[9])), r[4], r[5], {fold(n) for n in names})
    return grids


def acled_locations(path: Path, codes: dict[str, str]):
    """(iso2, admin1, location) -> Counter of points, over exact, non-dev rows."""
    found: dict[tuple[str, str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    unknown = collections.Counter()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["origin"] == "dev" or row["geo_precision"] != "1":
                continue
            name = " ".join(row["location"].split())
            if not name or " - " in name or "(" in name or "/" in name or any(c.isdigit() for c in name):
                continue
            iso2 = codes.get(fold(row["country"]))
            if iso2 is None:
                unknown[row["country"]] += 1
                continue
            try:
                point = (round(float(row["latitude"]), 4), round(float(row["longitude"]), 4))
            except ValueError:
                continue
            found[(iso2, row["admin1"], unicodedata.normalize("NFC", name))][point] += 1
    if unknown:
        print(f"countries not matched (rows skipped): {dict(unknown)}", file=sys.stderr)
    return found


def default_acled() -> Path | None:
    """../shared beside the checkout (main), or two levels up (a worktree)."""
    return next((d / "shared/eval/train/acled-train.csv" for d in (ROOT.parent, ROOT.parent.parent)
                 if (d / "shared/eval/train/acled-train.csv").exists()), None)


def acled_arguments(doc: str, out: Path) -> argparse.Namespace:
    """`--acled` (the training export, checked) and `--out` (default `out`)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--acled", type=Path, default=default_acled())
    ap.add_argument("--out", type=Path, default=out)
    args = ap.parse_args()
    if args.acled is None or not args.acled.exists():
        sys.exit(f"no ACLED training file at {args.acled}: pass --acled PATH")
    return args


def main() -> None:
    args = acled_arguments(__doc__, GAZ / "acled_places.tsv.gz")
    codes = country_codes()
    grids = geonames_grids()
    out_rows = []
    known = 0
    for (iso2, _admin1, name), points in sorted(acled_locations(args.acled, codes).items()):
        # The point ACLED uses most for the name; ties go to the smallest.
        point = min(points, key=lambda p: (-points[p], p))
        key = fold(name)
        nearest, admin1, admin2 = 100.0, "", ""
        duplicate = False
        for p, a1, a2, keys in grids[iso2].near(point):
            d = km(point, p)
            if key in keys and d <= 25.0:
                duplicate = True
                break
            if d < nearest:
                nearest, admin1, admin2 = d, a1, a2
        if duplicate:
            known += 1
            continue
        out_rows.append(["", name, ascii_name(name) or name, iso2, admin1, admin2, "ACLED", "0",
                         f"{point[0]:.4f}", f"{point[1]:.4f}", ""])
    out_rows.sort(key=lambda r: (r[1], r[3], r[8], r[9]))
    header = ["geonameid", "name", "asciiname", "country", "admin1", "admin2", "feature_code",
              "population", "lat", "lon", "alternate_names"]
    text = "\n".join("\t".join(r) for r in [header] + out_rows) + "\n"
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as z:
        z.write(text.encode("utf-8"))
    args.out.write_bytes(buf.getvalue())
    print(f"{len(out_rows)} places written to {args.out}; {known} already in GeoNames", file=sys.stderr)


if __name__ == "__main__":
    main()
