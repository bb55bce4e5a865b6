"""Writes data/iptc_mediatopics.tsv: every IPTC Media Topics code with its
broader code and label (no definitions), the tree `gaztag eval --topics`
rolls topics up with.

Source: IPTC Media Topics, English, 2022-02-03 (CC-BY-4.0, IPTC),
../shared/data/topics/iptc_mediatopics_en.tsv.

    python3 tools/gen_iptc_tree.py
"""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT.parent / "shared/data/topics/iptc_mediatopics_en.tsv"
DST = ROOT / "data/iptc_mediatopics.tsv"


def main() -> None:
    with open(SRC, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with open(DST, "w", encoding="utf-8", newline="") as f:
        f.write("# IPTC Media Topics (English, 2022-02-03), CC-BY-4.0, IPTC: code, broader code, label\n")
        for r in rows:
            label = r["label"].replace("\t", " ").replace("\n", " ")
            f.write(f"{r['qcode']}\t{r['broader']}\t{label}\n")
    print(f"{len(rows)} codes written to {DST}")


if __name__ == "__main__":
    main()
