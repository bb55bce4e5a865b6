#!/usr/bin/env python3
"""Writes data/first_names_en.txt: common English first names, one per line,
for the rule that a capitalised word right before a place name at the start
of a sentence makes it a surname when it is a first name (`Michael Chad
said...`).

Source: the 1990 US Census name frequency files (public domain), as shipped
in the PyPI package `names` 0.3.0 (MIT; Trey Hunner):

    pip download names==0.3.0 --no-deps -d /tmp/names
    tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python3 tools/gen_first_names.py /tmp/names/names-0.3.0/names

Kept: the names given to at least 0.01% of men or women (about 1,400),
less those that are everyday English words in lower case (`Will`, `May`,
`Mark`, `Bill`, `Grant`: data/common_words_en.txt), which cannot tell a
name from a word at the start of a sentence.
"""
import sys
from pathlib import Path

MIN_PERCENT = 0.01


def main() -> None:
    src = Path(sys.argv[1])
    root = Path(__file__).resolve().parent.parent
    common = {w.strip().split("\t")[0].lower()
              for w in (root / "data" / "common_words_en.txt")
              .read_text(encoding="utf-8").splitlines()
              if w.strip() and not w.startswith("#")}
    names = set()
    for f in ("dist.male.first", "dist.female.first"):
        for line in (src / f).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) < 2 or float(parts[1]) < MIN_PERCENT:
                continue
            name = parts[0].capitalize()
            if name.lower() not in common and len(name) > 2:
                names.add(name)
    out = root / "data" / "first_names_en.txt"
    header = ("# Common English first names (1990 US Census, public domain,"
              " via PyPI names 0.3.0);\n# written by tools/gen_first_names.py"
              " - do not edit by hand.\n")
    out.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()
