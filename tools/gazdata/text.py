"""Text helpers shared by the generators: the folding the engine compares
names by (approximately), slugs for ids, and TOML literals."""

import re
import unicodedata

_SPECIAL_FOLD = {
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d",
    "Ð": "d", "ħ": "h", "Ħ": "h", "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe",
    "Œ": "oe", "ß": "ss", "þ": "th", "Þ": "th",
}
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u2032\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def fold(s: str) -> str:
    """Approximates the engine's folding: the key two terms collide on."""
    out = []
    for ch in s:
        if ch in _SPECIAL_FOLD:
            out.append(_SPECIAL_FOLD[ch])
            continue
        if ch in _APOSTROPHES:
            out.append("'")
            continue
        if ch in _DASHES:
            out.append("-")
            continue
        for c in unicodedata.normalize("NFD", ch.lower()):
            if not unicodedata.combining(c):
                out.append(c)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def slug(s: str) -> str:
    s = fold(s).replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_num(x: float) -> str:
    return repr(float(x))


def toml_array(items: list[str], indent: str = "    ") -> str:
    if not items:
        return "[]"
    one = "[" + ", ".join(items) + "]"
    if len(one) <= 70:
        return one
    return "[\n" + "".join(f"{indent}{it},\n" for it in items) + "]"
