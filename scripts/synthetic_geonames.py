#!/usr/bin/env python3
"""Write a synthetic GeoNames dump (19 tab-separated columns) of N populated
places with made-up names, to measure what a big gazetteer overlay costs:

    python3 scripts/synthetic_geonames.py 2000000 > /tmp/big.txt
    warcoder gazetteer import /tmp/big.txt --overlay /tmp/big/overlay.tsv.gz
    WARCODER_OVERLAY=/tmp/big/overlay.tsv.gz warcoder gazetteer info

Deterministic (fixed seed). Names are syllable strings, each place with two
alternate spellings, spread over real country codes and the globe, so that
the name indexes are about as large as GeoNames' for as many places.
"""

import random
import sys

SYLLABLES = [
    "ka", "ma", "ra", "sa", "ta", "na", "la", "ba", "da", "ga", "ha", "ya", "za",
    "ki", "mi", "ri", "si", "ti", "ni", "li", "bi", "di", "gi", "hi", "zi",
    "ko", "mo", "ro", "so", "to", "no", "lo", "bo", "do", "go", "ho", "yo",
    "ku", "mu", "ru", "su", "tu", "nu", "lu", "bu", "du", "gu", "hu", "yu",
    "kan", "mar", "sal", "tun", "nab", "dar", "bur", "qal", "wad", "kaf",
]
COUNTRIES = ["SY", "IQ", "AF", "NG", "ML", "CD", "SO", "YE", "MM", "PK", "IN", "UA", "SD", "ET", "BF"]


def name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    rng = random.Random(20261207)
    out = sys.stdout
    for i in range(n):
        main_name = name(rng)
        alternates = ",".join([main_name + "a", "Al " + main_name])
        lat = rng.uniform(-40, 60)
        lon = rng.uniform(-20, 120)
        country = rng.choice(COUNTRIES)
        out.write(
            f"{90_000_000 + i}\t{main_name}\t{main_name}\t{alternates}\t{lat:.5f}\t{lon:.5f}"
            f"\tP\tPPL\t{country}\t\t{rng.randint(1, 20):02d}\t\t\t\t{rng.randint(0, 5000)}"
            "\t\t300\tAsia/Damascus\t2026-01-01\n"
        )


if __name__ == "__main__":
    main()
