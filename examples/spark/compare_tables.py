"""Compares Spark's part files with a single-machine `gaztag --out-dir` run.

    python compare_tables.py SPARK_OUT REFERENCE_DIR

For each table, the rows of SPARK_OUT/<table>/part-*.csv (each with a
header) and of REFERENCE_DIR/<table>.csv are sorted and compared row for
row; an empty cell equals a missing one. The `NAME:LINE: ` that starts the
error message of a failed document names the mapper's standard input and
its line within one partition, so it is left out of the comparison. Exits
1 on any difference.
"""

import csv
import glob
import re
import sys

SOURCE = re.compile(r"^[^\n]*?:\d+: ")


def rows(paths):
    header, out = None, []
    for p in paths:
        with open(p, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            h = next(r, None)
            if h is None:
                continue
            if header is not None and h != header:
                raise SystemExit(f"{p}: header differs")
            header = h
            for row in r:
                if h and h[0] == "doc_id" and len(row) > 2 and h[2] == "error":
                    row[2] = SOURCE.sub("", row[2], count=1)
                out.append(row)
    return header, sorted(out)


def main():
    spark_out, ref = sys.argv[1:3]
    bad = 0
    for table in ["mentions", "topics", "documents"]:
        sh, srows = rows(sorted(glob.glob(f"{spark_out}/{table}/part-*.csv")))
        rh, rrows = rows([f"{ref}/{table}.csv"])
        if sh is not None and sh != rh:
            print(f"{table}: header {sh} != {rh}")
            bad += 1
        if srows != rrows:
            bad += 1
            print(f"{table}: {len(srows)} Spark rows, {len(rrows)} reference rows")
            for a, b in zip(srows, rrows):
                if a != b:
                    print(f"  first difference:\n  spark: {a}\n  ref:   {b}")
                    break
        else:
            print(f"{table}: {len(srows)} rows, identical")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
