"""Compares gaztag's CSV tables with the xlsx files LibreOffice made of them.

Usage: check.py CSV_DIR XLSX_DIR

Every cell must arrive as written: text cells as text (never a formula),
numeric columns as numbers. Also checks that the awkward cells of the
fixture (non-ASCII names, quotes, commas, line breaks, neutralised
formulas) are among them. Exits 1 with a list of differences otherwise.
"""

import csv
import sys
from pathlib import Path

import openpyxl

NUMERIC = {
    "start", "end", "byte_start", "byte_end", "enclosing_start",
    "enclosing_end", "score", "rank",
    "chars", "mentions", "entities", "topics", "words", "bytes",
}


def main(csv_dir: Path, xlsx_dir: Path) -> int:
    problems = []
    seen = []
    for table in ("mentions", "topics", "documents"):
        with open(csv_dir / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        sheet = openpyxl.load_workbook(xlsx_dir / f"{table}.xlsx").active
        cells = [list(r) for r in sheet.iter_rows()]
        if len(cells) != len(rows):
            problems.append(f"{table}: {len(cells)} rows in xlsx, {len(rows)} in csv")
        header = rows[0]
        for i, (want_row, got_row) in enumerate(zip(rows, cells)):
            got_row = got_row[: len(want_row)] + [None] * (len(want_row) - len(got_row))
            for col, want, cell in zip(header, want_row, got_row):
                where = f"{table} row {i + 1} {col}"
                value = cell.value if cell is not None else None
                kind = cell.data_type if cell is not None else "n"
                if i > 0 and col in NUMERIC and want != "":
                    if not isinstance(value, (int, float)) or isinstance(value, bool):
                        problems.append(f"{where}: {value!r} is not a number")
                    elif abs(value - float(want)) > 1e-9:
                        problems.append(f"{where}: {value!r} != {want}")
                    continue
                if i > 0 and col == "inside_name":
                    # Calc reads true/false as booleans, which suits a filter.
                    if value is not (want == "true"):
                        problems.append(f"{where}: {value!r} != {want}")
                    continue
                if want == "":
                    if value not in (None, ""):
                        problems.append(f"{where}: {value!r}, want empty")
                    continue
                if kind == "f":
                    problems.append(f"{where}: became a formula {value!r}")
                elif value != want:
                    problems.append(f"{where}: {value!r} != {want!r}")
                else:
                    seen.append(value)
    # The fixture's awkward cells all made it, as text.
    for needle in [
        "'=HYPERLINK(\"http://x\",\"y\")",  # neutralised formula
        "'=cmd",
        "'-2+3",
        "Türkiye",
        "Côte d’Ivoire",
        "東京",
        "Müller, \"Kalle\" Ståhl",  # comma and quotes
        "Pakistan\nCricket Board",  # line break inside a mention
        "Cricket, \"Test\" matches",
        "quotes \"and\", commas",
    ]:
        if needle not in seen:
            problems.append(f"not found intact in any cell: {needle!r}")
    for p in problems:
        print("check.py:", p, file=sys.stderr)
    if not problems:
        print(f"check.py: {len(seen)} text cells and every number intact")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
