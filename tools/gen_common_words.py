"""Writes data/common_words_en.txt: the most frequent English words, the
list `gaztag check` warns against as aliases (an alias that is an everyday
word tags ordinary prose).

Sources: the PyPI package wordfreq 3.1.1 (Robyn Speer; code Apache-2.0,
word frequency data CC-BY-SA-4.0), `top_n_list("en", ...)`, in frequency
order; kept are the words that Debian's SCOWL word list (package wamerican,
Kevin Atkinson, permissive licence) spells in lower case, so that names
(`pakistan`, `jordan`) are not "common words" while `turkey` and `may` are.
The generated list is a derivative of the wordfreq data and is under
CC-BY-SA-4.0 too (see README, "Data sources and licences").

    apt-get install wamerican
    python3 -m venv v && v/bin/pip install wordfreq==3.1.1
    v/bin/python tools/gen_common_words.py
"""

import re
from pathlib import Path

from wordfreq import top_n_list

N = 5000
DICT = Path("/usr/share/dict/american-english")
OUT = Path(__file__).resolve().parent.parent / "data" / "common_words_en.txt"


def main() -> None:
    lower = {
        w for w in DICT.read_text(encoding="utf-8").split()
        if re.fullmatch(r"[a-z]+", w)
    }
    words = []
    for w in top_n_list("en", N * 3):
        if re.fullmatch(r"[a-z]+", w) and len(w) >= 2 and w in lower:
            words.append(w)
        if len(words) == N:
            break
    OUT.write_text(
        "# The 5,000 most frequent English words (letters only) that are\n"
        "# not names, most frequent first. Frequencies from wordfreq 3.1.1\n"
        "# (Robyn Speer), CC-BY-SA-4.0: https://github.com/rspeer/wordfreq;\n"
        "# lower-case spellings from SCOWL (Debian wamerican, Kevin\n"
        "# Atkinson). Written by tools/gen_common_words.py; this file is\n"
        "# under CC-BY-SA-4.0.\n"
        + "\n".join(words) + "\n",
        encoding="utf-8",
    )
    print(f"{len(words)} words written to {OUT}")


if __name__ == "__main__":
    main()
