"""Writes a deterministic JSONL news-like corpus for the Spark test.

    python gen_corpus.py N OUT.jsonl

Documents mention built-in entities, some across line breaks (\\n, \\r\\n),
with tabs, quotes, commas, backslashes and formula-like ids; a few have a
non-string text (failed documents). Every document has an id.
"""

import json
import random
import sys

NAMES = [
    "Pakistan", "Pakistani", "United States", "U.S.", "Washington",
    "Islamabad", "New Delhi", "India", "Afghanistan", "Kabul", "China",
    "Beijing", "International Monetary Fund", "IMF", "World Bank",
    "United Nations", "Côte d’Ivoire", "Ivory Coast", "Türkiye", "Ankara",
    "European Union", "Brussels", "Nigeria", "Abuja", "ECOWAS", "NATO",
]
WORDS = (
    "officials met on inflation fiscal deficit loan talks security "
    "terrorism militants election parliament economy trade cricket wickets "
    "batsmen the and of said in with a for on over amid"
).split()
BREAKS = ["\n", "\r\n", "\t", "  "]


def sentence(r):
    parts = []
    for _ in range(r.randint(4, 14)):
        if r.random() < 0.3:
            name = r.choice(NAMES)
            if " " in name and r.random() < 0.3:
                name = name.replace(" ", r.choice(BREAKS), 1)
            parts.append(name)
        else:
            parts.append(r.choice(WORDS))
    s = " ".join(parts)
    return s[0].upper() + s[1:] + r.choice([".", ".", ",\n", "; \"quoted\" \\ ", "\r\n"])


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    r = random.Random(20240601)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            doc_id = f"doc-{i:06d}"
            if i % 997 == 5:
                doc_id = f"=odd,\"id\"\t{i}\\x"
            text = " ".join(sentence(r) for _ in range(r.randint(1, 12)))
            if i % 1013 == 7:
                text = 12345  # not a string: an error status row
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False))
            f.write("\n")


if __name__ == "__main__":
    main()
