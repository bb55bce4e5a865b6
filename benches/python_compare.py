"""tag_frame against FlashText and pyahocorasick, side by side in one run,
on the same texts with the same names (the built-in gazetteers' names and
aliases).

    python3 -m venv v && v/bin/pip install ./python pandas flashtext pyahocorasick
    v/bin/python benches/python_compare.py [--copies 300]

The texts are the bundled articles (examples/articles), repeated. gaztag
does more per match (word boundaries in any script, case rules, names
inside names, resolution, topics, three tables); FlashText and
pyahocorasick only find the names (FlashText case-insensitively on word
characters, pyahocorasick on lower-cased text with a word-boundary check
here).
"""

import argparse
import glob
import os
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def names():
    out = set()
    for f in sorted(glob.glob(str(ROOT / "gazetteers" / "*.toml"))):
        with open(f, "rb") as fh:
            d = tomllib.load(fh)
        for e in d.get("entity", []):
            out.add(e["name"])
            out.update(e.get("aliases", []))
    return sorted(out)


def best(f, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = f()
        times.append(time.perf_counter() - t)
    return min(times), r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=300)
    args = ap.parse_args()
    arts = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(str(ROOT / "examples/articles/*.txt")))]
    texts = arts * args.copies
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    ns = names()
    print(f"{len(texts)} documents, {mb:.1f} MB; {len(ns)} names; {os.cpu_count()} cores")
    rows = []

    import gaztag
    import pandas as pd

    df = pd.DataFrame({"text": texts})
    for threads in (1, 0):
        t = gaztag.Tagger(threads=threads)
        secs, (m, _, _) = best(lambda: t.tag_frame(df))
        rows.append((f"gaztag tag_frame, threads={threads or 'all'}", secs, len(m)))

    try:
        from flashtext import KeywordProcessor

        kp = KeywordProcessor(case_sensitive=False)
        for n in ns:
            kp.add_keyword(n)
        secs, found = best(lambda: sum(len(kp.extract_keywords(x, span_info=True)) for x in texts))
        rows.append(("flashtext extract_keywords", secs, found))
    except ImportError:
        print("flashtext not installed: skipped")

    try:
        import ahocorasick

        a = ahocorasick.Automaton()
        for n in ns:
            a.add_word(n.lower(), n)
        a.make_automaton()

        def scan():
            count = 0
            for x in texts:
                low = x.lower()
                for end, n in a.iter(low):
                    s = end - len(n) + 1
                    if (s == 0 or not low[s - 1].isalnum()) and (end + 1 == len(low) or not low[end + 1].isalnum()):
                        count += 1
            return count

        secs, found = best(scan)
        rows.append(("pyahocorasick iter + boundary check", secs, found))
    except ImportError:
        print("pyahocorasick not installed: skipped")

    print("\n| tool | seconds (best of 3) | MB/s | matches |\n|---|---:|---:|---:|")
    for name, secs, found in rows:
        print(f"| {name} | {secs:.3f} | {mb / secs:.1f} | {found} |")


if __name__ == "__main__":
    main()
