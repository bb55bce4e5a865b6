"""Times FlashText or pyahocorasick on the generated data (for compare.py).

Usage: python pyscan.py {flashtext,pyahocorasick} ALIASES.txt CORPUS.jsonl [REPEAT]

Documents are read before timing. FlashText matches case-insensitively
with its own word boundaries; pyahocorasick gets lower-cased aliases, lower-
cases each document inside the timed loop and keeps the overlapping matches
whose neighbouring characters are not letters or digits (as gaztag and the
raw scan do). Prints one JSON object: build time, best scan time of REPEAT
(default 3), bytes of text and matches.
"""

import json
import sys
import time


def main() -> None:
    engine, aliases_path, corpus_path = sys.argv[1:4]
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(aliases_path, encoding="utf-8") as f:
        aliases = [line.strip() for line in f if line.strip()]
    docs = []
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line)["text"])
    nbytes = sum(len(d.encode("utf-8")) for d in docs)

    started = time.perf_counter()
    if engine == "flashtext":
        from flashtext import KeywordProcessor

        kp = KeywordProcessor()
        for a in aliases:
            kp.add_keyword(a)

        def count(doc: str) -> int:
            return len(kp.extract_keywords(doc))

    elif engine == "pyahocorasick":
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for a in aliases:
            low = a.lower()
            automaton.add_word(low, len(low))
        automaton.make_automaton()

        def count(doc: str) -> int:
            t = doc.lower()
            last = len(t) - 1
            n = 0
            for end, length in automaton.iter(t):
                start = end - length + 1
                if (start == 0 or not t[start - 1].isalnum()) and (
                    end == last or not t[end + 1].isalnum()
                ):
                    n += 1
            return n

    else:
        sys.exit(f"unknown engine {engine}")
    build_s = time.perf_counter() - started

    best = float("inf")
    matches = 0
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        matches = sum(count(d) for d in docs)
        best = min(best, time.perf_counter() - t)
    print(
        json.dumps(
            {
                "engine": engine,
                "patterns": len(aliases),
                "build_s": round(build_s, 4),
                "bytes": nbytes,
                "scan_s": round(best, 4),
                "matches": matches,
                "mbps": round(nbytes / 1e6 / best, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
