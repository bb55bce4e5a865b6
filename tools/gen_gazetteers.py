#!/usr/bin/env python3
"""Generate gaztag's built-in gazetteers (gazetteers/*.toml).

Reads the reference data (see tools/SOURCES.md) from --data, combines it
with the hand-curated facts in tools/gazdata/, writes one TOML file per
domain into --out, validates the result and prints a summary.

Usage (from the repository root):

    python3 tools/gen_gazetteers.py [--data ../shared/data] [--out gazetteers]

Only the Python 3.11 standard library is used. Output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # keep tools/gazdata free of __pycache__

from gazdata import (  # noqa: E402
    cities as CITIES,
    countries as COUNTRIES,
    government as GOV,
    groups as GROUPS,
    intl_orgs as INTL,
    notable as NOTABLE,
    officials as OFFICIALS,
    regions as REGIONS,
    sports as SPORTS,
    topics as TOPICS,
    topic_vocab as VOCAB,
)

# ---------------------------------------------------------------------------
# Text helpers


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


# The UN list copy lost the high byte of some punctuation: U+2019 became
# 0x19, U+2013/U+2014 became 0x13/0x14. Restore them before anything else.
_C0_REPAIR = {"\x18": "'", "\x19": "'", "\x13": "-", "\x14": "-",
              "\x1c": '"', "\x1d": '"'}


def clean(s: str) -> str:
    s = "".join(_C0_REPAIR.get(ch, ch) for ch in s)
    s = "".join(ch for ch in s if ch in "\t\n" or
                unicodedata.category(ch) not in ("Cc", "Cf"))
    s = s.replace("\u00a0", " ").replace("&amp;", "&")
    s = s.replace("\u2011", "-")
    return re.sub(r"\s+", " ", s).strip()


def is_acronym(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_latin(s: str) -> bool:
    for ch in s:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if not name.startswith("LATIN"):
                return False
    return True


def words(s: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", s) if w]


SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "de", "du",
               "la", "le", "des", "el", "wa", "wal", "ul", "fi", "e", "i",
               "by", "with", "al", "ut", "ud", "ur", "et",
               "da", "do", "dos", "das", "der", "van", "von", "bin", "ibn"}
KEEP_UPPER = {"DPRK", "LLC", "JV", "NGO", "KPA", "USA", "UK", "TTP", "UAE",
              "II", "III", "IV", "HQ", "AG", "SA", "FZE", "PTE", "G9", "ISIL",
              "ISIS", "CMC", "M23", "JSC", "DCB", "DPRKN", "ISIL-K", "ISIS-K"}


def title_case(s: str) -> str:
    """Title-cases an ALL-CAPS name from the UN list or Phoenix."""
    def fix_token(tok: str, first: bool) -> str:
        parts = re.split(r"(-)", tok)
        out = []
        for i, p in enumerate(parts):
            if p == "-" or not p:
                out.append(p)
                continue
            core = p
            if core.upper() in KEEP_UPPER or re.fullmatch(r"([A-Za-z]\.)+",
                                                          core):
                out.append(core.upper())
                continue
            low = core.lower()
            if (not (first and i == 0)) and low in SMALL_WORDS:
                out.append(low)
                continue
            # Capitalise after an apostrophe only for O'/D' style prefixes.
            t = low[:1].upper() + low[1:]
            out.append(t)
        return "".join(out)

    toks = s.split(" ")
    return " ".join(fix_token(t, i == 0) for i, t in enumerate(toks))


def iso_date(s: str) -> str:
    s = (s or "").strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", s)
    return m.group(1) if m else ""


# ---------------------------------------------------------------------------
# TOML writer


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


# The fields an entity's names are written in, in file order.
FORM_FIELDS = ("aliases", "acronyms", "former_names", "demonyms")


def write_entities(path: Path, domain: dict, entities: list[dict],
                   header: str) -> None:
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines.append("# Generated by tools/gen_gazetteers.py - do not edit by hand.")
    lines.append("")
    if domain:
        lines.append("[domain]")
        for k in ("name", "type", "case"):
            if k in domain:
                lines.append(f"{k} = {toml_str(domain[k])}")
        lines.append("")
    for e in entities:
        lines.append("[[entity]]")
        lines.append(f"id = {toml_str(e['id'])}")
        lines.append(f"name = {toml_str(e['name'])}")
        if e.get("type") and e["type"] != domain.get("type"):
            lines.append(f"type = {toml_str(e['type'])}")
        # The forms marked in `_forms` (folded form -> field) go to
        # their own field; the hygiene rules above saw them as aliases.
        forms = e.get("_forms") or {}
        split: dict[str, list[str]] = {k: [] for k in FORM_FIELDS}
        for a in e.get("aliases", []):
            split[forms.get(fold(a), "aliases")].append(a)
        for k in FORM_FIELDS:
            if split[k]:
                lines.append(f"{k} = " + toml_array(
                    [toml_str(a) for a in split[k]]))
        if e.get("case"):
            lines.append(f"case = {toml_str(e['case'])}")
        attrs = {k: v for k, v in e.get("attributes", {}).items()
                 if v not in (None, "")}
        if attrs:
            lines.append("[entity.attributes]")
            for k, v in attrs.items():
                lines.append(f"{k} = {toml_str(str(v))}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_topics(path: Path, topics: list[dict], header: str) -> None:
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines.append("# Generated by tools/gen_gazetteers.py - do not edit by hand.")
    lines.append("")
    for t in topics:
        lines.append("[[topic]]")
        lines.append(f"id = {toml_str(t['id'])}")
        lines.append(f"name = {toml_str(t['name'])}")
        kws = []
        for term, w in t["keywords"]:
            if t.get("ambiguous", {}).get(term):
                kws.append("{term = %s, weight = %s, ambiguous = true}"
                           % (toml_str(term), toml_num(w)))
            elif w == 1.0:
                kws.append(toml_str(term))
            else:
                kws.append("{term = %s, weight = %s}" % (toml_str(term),
                                                         toml_num(w)))
        lines.append("keywords = " + toml_array(kws))
        ents = []
        for eid, w in t["entities"]:
            if w == 1.0:
                ents.append(toml_str(eid))
            else:
                ents.append("{id = %s, weight = %s}" % (toml_str(eid),
                                                        toml_num(w)))
        lines.append("entities = " + toml_array(ents))
        if t.get("threshold") is not None:
            lines.append(f"threshold = {toml_num(t['threshold'])}")
        if t.get("parent"):
            lines.append(f"parent = {toml_str(t['parent'])}")
        lines.append("[topic.attributes]")
        for k, v in t["attributes"].items():
            lines.append(f"{k} = {toml_str(v)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------
# Entity bookkeeping


class Registry:
    """All entities of all files, with alias hygiene and collision control."""

    # Two-character aliases allowed (letters and digits, punctuation
    # ignored): the brief forbids alpha-2 codes except US and UK.
    ALLOWED_TWO_LETTER = {"US", "UK", "UN", "EU", "AU", "G7", "G8"}

    def __init__(self) -> None:
        self.files: dict[str, dict] = {}   # file stem -> {domain, entities}
        self.by_id: dict[str, dict] = {}
        self.log: list[str] = []
        self.kept_shared: list[tuple[str, list[str]]] = []
        self.internal: dict[str, dict] = defaultdict(dict)

    def add_file(self, stem: str, domain: dict, header: str) -> None:
        self.files[stem] = {"domain": domain, "entities": [],
                            "header": header}

    def add(self, stem: str, ent: dict) -> dict:
        eid = ent["id"]
        if eid in self.by_id:
            raise SystemExit(f"duplicate id {eid} ({stem})")
        ent.setdefault("aliases", [])
        ent.setdefault("attributes", {})
        ent["_file"] = stem
        self.by_id[eid] = ent
        self.files[stem]["entities"].append(ent)
        return ent

    def merge_aliases(self, eid: str, aliases) -> None:
        self.by_id[eid]["aliases"].extend(aliases)

    # -- hygiene ----------------------------------------------------------

    def tidy(self) -> None:
        for ent in self.by_id.values():
            name = clean(ent["name"])
            ent["name"] = name
            seen = {fold(name)}
            out = []
            for a in ent["aliases"]:
                a = clean(a)
                f = fold(a)
                if f in seen and a[:1].islower() and \
                        ent["id"].startswith("region:"):
                    # "northern Syria" next to "Northern Syria": the smart
                    # rule would need both; case-insensitive matching is
                    # safe for these multi-word region names.
                    ent["case"] = "ignore"
                    continue
                if not f or f in seen:
                    continue
                if not is_latin(a):
                    continue  # names in other scripts are out of scope
                letters = re.sub(r"[^A-Za-z0-9]", "", f)
                if len(letters) < 2:
                    self.log.append(f"{ent['id']}: drop 1-char alias {a!r}")
                    continue
                if len(letters) == 2 and \
                        letters.upper() not in self.ALLOWED_TWO_LETTER:
                    self.log.append(f"{ent['id']}: drop 2-letter alias {a!r}")
                    continue
                is_person = ent["id"].startswith("person:")
                if is_person and len(words(a)) < 2 and not is_acronym(a):
                    # full-name variants only; the engine resolves surnames
                    self.log.append(f"{ent['id']}: drop one-word person "
                                    f"alias {a!r}")
                    continue
                seen.add(f)
                out.append(a)
            ent["aliases"] = out

    def add_al_variants(self) -> None:
        """Arabic names are written both "al-Abadi" and "al Abadi"; the
        engine folds dashes but does not equate a dash with a space."""
        for ent in self.by_id.values():
            if not ent["id"].startswith(("person:", "group:")):
                continue
            extra = []
            for a in [ent["name"]] + ent["aliases"]:
                if re.search(r"\b[Aa]l-\w", a):
                    extra.append(re.sub(r"\b([Aa]l)-(?=\w)", r"\1 ", a))
            ent["aliases"].extend(extra)

    def resolve_collisions(self, prefer: dict[str, str]) -> None:
        """Removes aliases shared by several entities (see SOURCES.md)."""
        owners: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        for ent in self.by_id.values():
            owners[fold(ent["name"])].append((ent["id"], True))
            for a in ent["aliases"]:
                owners[fold(a)].append((ent["id"], False))
        for key, lst in sorted(owners.items()):
            ids = {i for i, _ in lst}
            if len(ids) < 2:
                continue
            canon = sorted({i for i, c in lst if c})
            winner = prefer.get(key)
            if winner is None and len(canon) == 1:
                winner = canon[0]
            if winner is None and len(canon) > 1:
                self.kept_shared.append((key, sorted(ids)))
                # keep canonical names; drop the alias from the others
                for i in sorted(ids - set(canon)):
                    self._drop(i, key, f"shares canonical {canon}")
                continue
            for i in sorted(ids):
                if i != winner:
                    if any(c for j, c in lst if j == i):
                        # canonical name of i; cannot drop: keep shared
                        self.kept_shared.append((key, sorted(ids)))
                        continue
                    self._drop(i, key, f"shared with {sorted(ids)}")

    def _drop(self, eid: str, key: str, why: str) -> None:
        ent = self.by_id[eid]
        before = len(ent["aliases"])
        ent["aliases"] = [a for a in ent["aliases"] if fold(a) != key]
        if len(ent["aliases"]) != before:
            self.log.append(f"{eid}: drop shared alias {key!r} ({why})")


# ---------------------------------------------------------------------------
# Sources


def load_json(p: Path):
    with p.open(encoding="utf-8") as f:
        return json.load(f)


def parse_supraverden(p: Path) -> list[dict]:
    """Minimal parser for the flat two-level YAML of supraverden."""
    recs, cur, last_key = [], None, None
    for raw in p.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw.startswith(" "):
            cur = {"_key": raw.rstrip(":")}
            recs.append(cur)
            continue
        m = re.match(r"^  ([A-Za-z_0-9]+):\s?(.*)$", raw)
        if m:
            last_key = m.group(1)
            v = m.group(2).strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                v = v[1:-1]
            cur[last_key] = v
            continue
        m = re.match(r"^  - (.*)$", raw)
        if m and last_key:
            if not isinstance(cur.get(last_key), list):
                cur[last_key] = []
            cur[last_key].append(m.group(1).strip())
    return recs


def parse_phoenix(p: Path) -> dict[str, list[str]]:
    """Phoenix actor dictionary: KEY [CODE] followed by +ALIAS lines."""
    out: dict[str, list[str]] = {}
    key = None
    for raw in p.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw[0].isalnum() or raw[0] in "'":
            key = re.split(r"\s+\[|\s+#|\t", raw.strip())[0].strip()
            out.setdefault(key, [])
        elif raw.startswith("+") and key:
            out[key].append(raw[1:].split("#")[0].strip())
    return out


def phoenix_name(key: str) -> tuple[str, list[str]]:
    """'LIBERATION_TIGERS_OF_TAMIL_EELAM_(LTTE)_' -> name, [acronyms]."""
    s = key.replace("_", " ").strip()
    acr = re.findall(r"\(([A-Z0-9/&\-]{2,})\)", s)
    s = re.sub(r"\s*\([^)]*\)", "", s).strip()
    return title_case(s), acr


# ---------------------------------------------------------------------------
# Builders


def build_countries(reg: Registry, data: Path) -> dict:
    deb = load_json(data / "countries/debian_iso_codes/iso_3166-1.json")
    deb = deb["3166-1"]
    ml = {c["cca3"]: c for c in
          load_json(data / "countries/mledoze/countries.json")}
    reg.add_file("countries", {"name": "countries", "type": "country"},
                 "Countries and territories: all ISO 3166-1 entries (Debian "
                 "iso-codes) plus Kosovo.\nIds are ISO alpha-3 codes. Names, "
                 "alternative spellings, regions and\ndemonyms: mledoze/"
                 "countries (ODbL-1.0) and hand curation.\nFormer countries "
                 "(status = \"former\"): ISO 3166-3 (Debian iso-codes, "
                 "LGPL-2.1+),\nids are its alpha-4 codes; period and "
                 "successors written by hand.")
    allowed_acr = {"USA", "US", "U.S.", "U.S.A.", "UK", "U.K.", "UAE",
                   "U.A.E.", "DPRK", "DRC", "PRC", "ROK", "KSA", "BVI"}
    rows = []
    for d in deb:
        rows.append(dict(id=d["alpha_3"], iso2=d["alpha_2"],
                         numeric=d.get("numeric", ""),
                         deb_names=[d.get("name"), d.get("official_name"),
                                    d.get("common_name")],
                         official=d.get("official_name", ""),
                         m=ml.get(d["alpha_3"])))
    for x in COUNTRIES.EXTRA_COUNTRIES:
        rows.append(dict(id=x["id"], iso2=x["iso2"], numeric=x["numeric"],
                         deb_names=[x["name"], x["official_name"]],
                         official=x["official_name"], m=ml.get(x["mledoze"]),
                         note=x["note"]))
    info = {}
    for r in rows:
        a3, m = r["id"], r["m"]
        name = COUNTRIES.NAME.get(a3) or (m and m["name"]["common"]) \
            or r["deb_names"][2] or r["deb_names"][0]
        src = [n for n in r["deb_names"] if n]
        if m:
            src += [m["name"]["common"], m["name"]["official"]]
            src += m.get("altSpellings", [])
        aliases = []
        drop_for = set(COUNTRIES.DROP_FOR.get(a3, []))
        for a in src:
            a = clean(a)
            if a in COUNTRIES.DROP_ALIASES or a in drop_for:
                continue
            if re.search(r", (the |The )", a) or \
                    re.search(r", .*\b(of|of the)$", a) or \
                    re.search(r", (British|U\.S\.)$", a):
                continue  # inverted ISO forms ("Korea, Republic of")
            if any(0x250 <= ord(c) <= 0x2AF for c in a):
                continue  # IPA transcriptions
            if a.startswith("the "):
                a = a[4:]
            if is_acronym(a) and a not in allowed_acr:
                continue
            aliases.append(a)
        aliases += COUNTRIES.EXTRA_ALIASES.get(a3, [])
        # demonyms
        if a3 in COUNTRIES.DEMONYMS:
            dem = list(COUNTRIES.DEMONYMS[a3])
        else:
            dem = []
            if m:
                eng = m.get("demonyms", {}).get("eng", {})
                bases = []
                for g in ("m", "f"):
                    for part in re.split(r",\s*| or |/", eng.get(g, "") or ""):
                        part = part.strip()
                        if part and part not in bases:
                            bases.append(part)
                for b in bases:
                    if b in COUNTRIES.DROP_FOR.get(a3, []):
                        continue
                    dem.append(b)
                    if not b.endswith(COUNTRIES.NO_PLURAL_ENDINGS) \
                            and not b.endswith("s"):
                        dem.append(b + "s")
        dem_forms = dem + COUNTRIES.FORMER_DEMONYMS.get(a3, [])
        former = COUNTRIES.FORMER_NAMES.get(a3, [])
        aliases += dem_forms + former
        # Which aliases are written as acronyms, former names, demonyms.
        forms = {fold(a): "acronyms" for a in aliases if a in allowed_acr}
        forms.update((fold(a), "demonyms") for a in dem_forms)
        forms.update((fold(a), "former_names") for a in former)
        cap = ""
        if a3 in CITIES.CAPITALS:
            caps = CITIES.CAPITALS[a3]
            cap = caps[0][0] if caps else ""
        elif m and m.get("capital"):
            cap = m["capital"][0]
        attrs = {
            "iso2": r["iso2"],
            "numeric": r["numeric"],
            "region": (m or {}).get("region", ""),
            "subregion": (m or {}).get("subregion", ""),
            "official_name": re.sub(r"^the ", "", r["official"] or (
                m or {}).get("name", {}).get("official", "")),
            "demonym": dem[0] if dem else "",
            "capital": cap,
            "independent": ("true" if (m or {}).get("independent")
                            else "false") if m else "",
            "note": r.get("note", ""),
        }
        ent = reg.add("countries", dict(id=a3, name=name, aliases=aliases,
                                        attributes=attrs))
        ent["_forms"] = forms
        info[a3] = {"name": name, "m": m}
    build_former_countries(reg, data)
    return info


def build_former_countries(reg: Registry, data: Path) -> None:
    """Countries that no longer exist (see FORMER_COUNTRIES), with their
    ISO 3166-3 codes and withdrawal dates."""
    iso = {d["alpha_4"]: d for d in load_json(
        data / "countries/debian_iso_codes/iso_3166-3.json")["3166-3"]}
    for x in COUNTRIES.FORMER_COUNTRIES:
        d = iso[x["id"]]
        aliases = list(x.get("aliases", []))
        forms = {}
        for field in FORM_FIELDS[1:]:
            for a in x.get(field, []):
                aliases.append(a)
                forms[fold(a)] = field
        dem = x.get("demonyms", [])
        attrs = {
            "status": "former",
            "period": x["period"],
            "successors": "|".join(sorted(x["successors"])),
            "codes": f"{d['alpha_2']}|{d['alpha_3']}",
            "numeric": d.get("numeric", ""),
            "withdrawn": d["withdrawal_date"],
            "demonym": dem[0] if dem else "",
            "note": x.get("note", ""),
        }
        ent = reg.add("countries", dict(id=x["id"], name=x["name"],
                                        aliases=aliases, attributes=attrs))
        ent["_forms"] = forms


def build_cities(reg: Registry, data: Path, cinfo: dict) -> list[str]:
    reg.add_file("cities", {"name": "cities", "type": "city"},
                 "Cities: every capital (mledoze/countries, ODbL-1.0) and "
                 "major world cities\n(over about two million people, plus "
                 "a few prominent in security news),\nwritten by hand. "
                 "Attribute `country` is the ISO alpha-3 code.")
    seen: dict[tuple[str, str], dict] = {}
    capital_countries = []

    def add(a3, name, aliases, capital):
        key = (a3, fold(name))
        if key in seen:
            e = seen[key]
            e["aliases"].extend(aliases)
            if capital:
                e["attributes"]["capital_of"] = a3
            return
        base = slug(name.split(",")[0])
        eid = f"city:{a3}:{base}"
        n = 2
        while eid in reg.by_id:
            eid = f"city:{a3}:{base}-{n}"
            n += 1
        attrs = {"country": a3, "country_name": cinfo[a3]["name"]}
        if capital:
            attrs["capital_of"] = a3
        e = reg.add("cities", dict(id=eid, name=name, aliases=list(aliases),
                                   attributes=attrs))
        seen[key] = e

    for a3 in sorted(cinfo):
        m = cinfo[a3]["m"]
        if a3 in CITIES.CAPITALS:
            caps = CITIES.CAPITALS[a3]
        else:
            caps = [(c, []) for c in ((m or {}).get("capital") or [])]
        for name, al in caps:
            al = list(al) + CITIES.CAPITAL_ALIASES.get((a3, name), [])
            add(a3, name, al, True)
            capital_countries.append(a3)
    for a3, name, al in CITIES.MAJOR:
        add(a3, name, al, False)
    return capital_countries


def build_sports(reg: Registry) -> None:
    reg.add_file("sports", {"name": "sports", "type": "organization"},
                 "Sports clubs and teams of the major leagues, written by "
                 "hand (facts:\nnames, countries, leagues). They keep \"Real "
                 "Madrid\" from tagging Madrid\nand give the sport topic "
                 "evidence.")
    for sport, league, country, teams in SPORTS.LEAGUES:
        for name, aliases, own_country in teams:
            reg.add("sports", dict(
                id=f"team:{slug(name)}", name=name, aliases=list(aliases),
                attributes={"kind": "sports_team", "sport": sport,
                            "league": league,
                            "country": own_country or country}))


def build_regions(reg: Registry) -> None:
    reg.add_file("regions", {"name": "regions", "type": "region"},
                 "World regions, seas, US states and sub-national units, "
                 "written by hand.\nThey also stop wrong country matches "
                 "through the longest-match rule\n(\"New Mexico\", \"Indian "
                 "Ocean\", \"Latin American\").")
    def codes(name: str) -> dict:
        postal, abbr = REGIONS.US_STATE_CODES.get(name, ("", ""))
        return {"postal": postal, "abbreviation": abbr}

    for st in REGIONS.US_STATES:
        reg.add("regions", dict(id=f"region:us-{slug(st)}", name=st,
                                attributes={"kind": "us_state",
                                            "country": "USA", **codes(st)}))
    for rid, name, al, kind, a3 in REGIONS.US_STATE_EXTRA + REGIONS.REGIONS:
        reg.add("regions", dict(id=f"region:{rid}", name=name,
                                aliases=list(al),
                                attributes={"kind": kind, "country": a3,
                                            **codes(name)}))
    for rid, name, al, kind, a3, postal, abbr in REGIONS.PROVINCES:
        reg.add("regions", dict(id=f"region:{rid}", name=name,
                                aliases=list(al),
                                attributes={"kind": kind, "country": a3,
                                            "postal": postal,
                                            "abbreviation": abbr}))
    for rid, name, al, kind in REGIONS.SEAS:
        reg.add("regions", dict(id=f"region:{rid}", name=name,
                                aliases=list(al),
                                attributes={"kind": kind, "country": ""}))


SPELLING_PAIRS = [("Organisation", "Organization"), ("Programme", "Program"),
                  ("Centre", "Center"), ("Defence", "Defense"),
                  ("Labour", "Labor")]


def spelling_variants(name: str) -> list[str]:
    out = []
    for a, b in SPELLING_PAIRS:
        if a in name:
            out.append(name.replace(a, b))
        elif b in name:
            out.append(name.replace(b, a))
    return out


def _bad_value(v) -> bool:
    return (not v or not isinstance(v, str) or v in ("null", "None")
            or "No code found" in v)


def build_intl(reg: Registry, data: Path) -> None:
    reg.add_file("organizations", {"name": "organizations",
                                   "type": "organization"},
                 "International organisations: the supraverden list "
                 "(CC-BY-SA-4.0; names and\nacronyms only), curated, plus "
                 "well-known bodies written by hand (G7, G20,\nBRICS, UN "
                 "offices and missions, NGOs, sport governing bodies).")
    recs = parse_supraverden(data / "organisations/supraverden_general_list.yaml")
    for r in recs:
        name = r.get("Name_en")
        if _bad_value(name):
            continue
        if r.get("Type") in INTL.EXCLUDE_TYPES or name in INTL.EXCLUDE_NAMES:
            continue
        ov = INTL.OVERRIDES.get(name, {})
        disp = clean(ov.get("name", name))
        aliases = []
        if "name" in ov:
            aliases.append(name)
        for k in ("Name_other_en", "Name_other_2_en"):
            v = r.get(k)
            if _bad_value(v) or v in INTL.ALIAS_DENY:
                continue
            if re.search(r"\b(of|the|and|for|in)$", v):
                continue  # truncated in the source
            aliases.append(v)
        if "acronyms" in ov:
            acr = list(ov["acronyms"])
        else:
            acr = []
            for k in ("Abbreviation_en", "Abbreviation_other_en",
                      "Abbreviation_other_2_en"):
                v = r.get(k)
                if not _bad_value(v) and v not in INTL.ACRONYM_DENY:
                    acr.append(v)
        aliases += acr + ov.get("aliases", [])
        aliases += spelling_variants(disp)
        eid = ov.get("id")
        if not eid:
            cand = f"org:{slug(acr[0])}" if acr else None
            eid = cand if cand and cand not in reg.by_id else \
                f"org:{slug(disp)}"
        fam = r.get("Org_family", "")
        kind = ov.get("kind")
        if not kind:
            t = r.get("Type") or ""
            if "UN specialized agency" in t:
                kind = "un_specialized_agency"
            elif fam == "UN and affiliates":
                kind = "un_body"
            elif fam == "EU institutions and bodies":
                kind = "eu_body"
            else:
                kind = "intergovernmental"
        attrs = {"kind": kind,
                 "acronym": acr[0] if acr else "",
                 "family": "" if _bad_value(fam) or fam == "none" else fam,
                 "founded": r.get("Year_established", "")
                 if not _bad_value(r.get("Year_established")) else "",
                 "wikidata": r.get("Wikidata_code", "")
                 if str(r.get("Wikidata_code", "")).startswith("Q") else ""}
        reg.add("organizations", dict(id=eid, name=disp, aliases=aliases,
                                      attributes=attrs))
    for x in INTL.EXTRA:
        aliases = list(x.get("aliases", [])) + list(x.get("acronyms", []))
        aliases += spelling_variants(x["name"])
        acr = x.get("acronyms", [])
        attrs = {"kind": x["kind"], "acronym": acr[0] if acr else "",
                 "country": x.get("country", ""), "former": x.get("former", "")}
        reg.add("organizations", dict(id=x["id"], name=x["name"],
                                      aliases=aliases, attributes=attrs))


# The bodies of a country's state, as the matcher knows them
# (STATE_BODY_KINDS in src/compile.rs).
STATE_BODY_KINDS = {
    "agency", "central_bank", "committee", "court", "defence_ministry",
    "election_commission", "executive_office", "federal_agency",
    "finance_ministry", "foreign_ministry", "intelligence",
    "interior_ministry", "justice_ministry", "legislature_chamber",
    "military", "ministry", "parliament", "police", "regulator",
    "security_service",
}


def owner_forms(reg: Registry, name: str, a3: str) -> list[str]:
    """For a body named "<X> of <country>", the forms news text writes with
    the country before it: "<country>'s <X>" and "<demonym> <X>" ("Joint
    Chiefs of Staff of South Korea": "South Korea's Joint Chiefs of Staff",
    "South Korean Joint Chiefs of Staff")."""
    country = reg.by_id.get(a3)
    if not country:
        return []
    names = [country["name"]] + [a for a in country["aliases"]
                                 if not is_acronym(a)]
    for n in sorted(names, key=len, reverse=True):
        m = re.fullmatch(rf"(.+) of (?:the )?{re.escape(n)}", name)
        if m:
            x = m.group(1)
            own = country["name"]
            forms = [f"{own}' {x}" if own.endswith("s") else f"{own}'s {x}"]
            demonym = country["attributes"].get("demonym")
            if demonym:
                forms.append(f"{demonym} {x}")
            return forms
    return []


def build_government(reg: Registry, data: Path) -> None:
    reg.add_file("government", {"name": "government",
                                 "type": "organization"},
                 "National government bodies: the G20 members plus "
                 "Pakistan, Afghanistan,\nIran, Israel and Ukraine, written "
                 "by hand; US federal bodies also from the\nGSA srt-api list "
                 "(US federal work).")
    for eid, name, aliases, kind, a3 in GOV.BODIES:
        acr = [a for a in aliases if is_acronym(a) and " " not in a
               and len(re.sub(r"\W", "", a)) <= 6]
        reg.add("government", dict(
            id=eid, name=name,
            aliases=list(aliases) + spelling_variants(name)
            + (owner_forms(reg, name, a3) if kind in STATE_BODY_KINDS
               else []),
            attributes={"kind": kind, "country": a3,
                        "acronym": acr[0] if acr else ""}))
    # GSA list
    rows = []
    with (data / "organisations/us_federal_agencies_gsa_srt.tsv").open(
            encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows.append((clean(r["agency"]), clean(r.get("acronym") or "")))
    gsa_names = {n for n, _ in rows}
    merged_names = set()
    for eid, names in GOV.GSA_MERGE.items():
        for n in names:
            if n not in gsa_names:
                raise SystemExit(f"GSA_MERGE: {n!r} not in the GSA list")
            merged_names.add(n)
            acr = [a for nn, a in rows if nn == n and a
                   and a not in GOV.GSA_ACRONYM_DENY]
            extra = [] if n in GOV.GSA_SKIP else [n]
            reg.merge_aliases(eid, extra + acr)
    states = set(REGIONS.US_STATES) | {"Georgia", "Washington"}
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def key(n: str) -> str:
        k = n.lower()
        k = re.sub(r"^u\.s\. ", "", k)
        k = re.sub(r"^office of the ", "office of ", k)
        k = re.sub(r"^federal ", "", k)
        k = re.sub(r", department of$", " department", k)
        m = re.match(r"^department of (the )?(.*)$", k)
        if m:
            k = m.group(2) + " department"
        return k

    same = {}
    for grp in GOV.GSA_SAME:
        for n in grp:
            if n not in gsa_names:
                raise SystemExit(f"GSA_SAME: {n!r} not in the GSA list")
            same[n] = key(grp[0])
    for n, a in rows:
        if n in merged_names or n in states or n in GOV.GSA_SKIP:
            continue
        groups[same.get(n, key(n))].append((n, a))
    for k in sorted(groups):
        members = groups[k]
        names = sorted({n for n, _ in members}, key=lambda s: (-len(s), s))
        canonical = names[0]
        acr = sorted({a for _, a in members if a
                      and a not in GOV.GSA_ACRONYM_DENY})
        # a name without "U.S." must be specific on its own
        aliases = [n for n in names[1:] if n.startswith("U.S.")
                   or len(words(n)) >= 3] + acr
        if not canonical.startswith("U.S.") and len(words(canonical)) < 3 \
                and not acr:
            reg.log.append(f"gsa: skip generic {canonical!r}")
            continue
        base = re.sub(r"^U\.S\. ", "", canonical)
        eid = f"org:us-{slug(base)}"
        if eid in reg.by_id:
            reg.merge_aliases(eid, [canonical] + aliases)
            continue
        reg.add("government", dict(
            id=eid, name=canonical, aliases=aliases,
            attributes={"kind": "federal_agency", "country": "USA",
                        "acronym": acr[0] if acr else "",
                        "source": "GSA srt-api"}))


UN_DAMAGE = {
    "D\ufffdmocratiques": "Démocratiques", "Alli\ufffdes": "Alliées",
    "Arm\ufffde": "Armée", "Arm\ufffd": "Armé", "Qa\ufffdda": "Qaïda",
    "Pr\ufffddication": "Prédication", "Enturbann\ufffds": "Enturbannés",
    "lOuganda": "l'Ouganda",
}
COMPANY_WORDS = ("TRUST", "FOUNDATION", "EXCHANGE", "COMPANY", "LTD", "BANK",
                 "HAWALA", "BRANCH", "SOCIETY", "AIRLINES", "TRADING",
                 "CORPORATION", "ORGANIZATION", "COMMITTEE", "NGO", "CHARITY",
                 "OFFICES", "HOUSE", "HUMANITARIAN", "RELIEF")
GROUP_LISTS = {"Al-Qaida", "Taliban", "Somalia", "Yemen", "DRC", "CAR",
               "Haiti"}
UN_NAMES = {
    "KPe.054": ("Ministry of National Defence of North Korea",
                ["North Korean Ministry of National Defence",
                 "Ministry of the People's Armed Forces"]),
    "KPe.027": ("Ministry of Atomic Energy Industry of North Korea", []),
    "KPe.047": ("Foreign Trade Bank of North Korea",
                ["Korea Trading Bank", "Mooyokbank"]),
    "KPe.051": ("Central Military Commission of the Workers' Party of Korea",
                []),
    "KPe.046": ("Strategic Rocket Force of the Korean People's Army", []),
    "KPe.053": ("Propaganda and Agitation Department of the Workers' Party "
                "of Korea", []),
    "KPe.052": ("Organization and Guidance Department of the Workers' Party "
                "of Korea", []),
    "KPe.032": ("Second Economic Committee of North Korea", []),
    "KPe.028": ("Munitions Industry Department of North Korea",
                ["Munitions Industry Department"]),
    "KPe.030": ("Office 39 of the Workers' Party of Korea", ["Office 39"]),
    "KPe.021": ("Academy of National Defense Science", []),
    "QDe.153": ("Hanifa Money Exchange Office", ["Hanifah Exchange Company"]),
}


def un_alias_ok(a: str) -> bool:
    if "\ufffd" in a or not is_latin(a):
        return False
    if re.search(r"[#*,;()]|\d'|'D|\(original script\)", a):
        return False
    if a.lower() in GROUPS.UN_ALIAS_DENY:
        return False
    if a.startswith('"') or a.endswith('"'):
        return False
    return True


def un_clean_alias(a: str) -> str:
    a = clean(a.strip().strip('"'))
    for bad, good in UN_DAMAGE.items():
        a = a.replace(bad, good)
    # ALL CAPS names would be exact-case acronyms: title-case them, except
    # short single tokens and vowel-less ones (real acronyms: RSRSBCM)
    letters = re.sub(r"[^A-Za-z]", "", a)
    upper_share = (sum(c.isupper() for c in letters) / len(letters)
                   if letters else 0)
    if upper_share >= 0.8 and (
            len(words(a)) > 1 or
            (len(letters) > 6 and len(re.findall(r"[AEIOU]", letters)) >= 2)):
        a = title_case(a.upper())
    return a


QUALIFIERS = {"PAKISTAN", "KENYA", "TANZANIA", "UNION OF THE COMOROS",
              "NGO"}


def split_name(raw: str) -> tuple[str, list[str]]:
    """UN names: 'NAME (ACR)' -> name + acronym; 'NAME (PAKISTAN)' -> a
    qualified name 'Name, Pakistan' (branches of one charity)."""
    raw = clean(raw)
    parts = [p.strip() for p in raw.split(";") if p.strip()]
    name, extra = parts[0], parts[1:]
    acr, qual = [], []
    for p in re.findall(r"\(([^)]*)\)", name):
        if p.upper() in QUALIFIERS:
            qual.append(title_case(p.upper()) if p.upper() != "NGO" else "")
        elif re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9&/\-]{1,9}", p):
            acr.append(p)
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
    if " / " in name and re.match(r".* / [A-Z]{2,5}$", name):
        name, a = name.rsplit(" / ", 1)
        acr.append(a)
    letters = re.sub(r"[^A-Za-z]", "", name)
    if letters and len(words(name)) > 1 and \
            sum(c.isupper() for c in letters) / len(letters) >= 0.8:
        name = title_case(name.upper())
    if qual and qual[0]:
        name = f"{name}, {qual[0]}"
    return name, acr + extra


def build_groups(reg: Registry, data: Path) -> None:
    reg.add_file("armed_groups", {"name": "armed_groups",
                                  "type": "organization"},
                 "Armed and designated groups: the UN Security Council "
                 "consolidated list\n(entities), the Phoenix MilNonState "
                 "dictionary (MIT) and hand curation.\nAccented letters "
                 "damaged in the UN copy are repaired or the alias dropped.")
    reg.add_file("sanctioned_entities", {"name": "sanctioned_entities",
                                         "type": "organization"},
                 "Companies, banks, charities and state bodies on the UN "
                 "Security Council\nconsolidated sanctions list that are not "
                 "armed groups.")
    un = {}
    with (data / "organisations/un_entities.tsv").open(encoding="utf-8",
                                                        errors="replace") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            un[r["ref"]] = r
    phoenix = parse_phoenix(data / "organisations/Phoenix.MilNonState.actors.txt")

    def un_aliases(ref: str) -> list[str]:
        r = un[ref]
        raw = (r.get("aliases") or "").replace(";", "|")
        out = []
        for a in raw.split("|"):
            a = un_clean_alias(a)
            if a and un_alias_ok(a):
                out.append(a)
        name, acr = split_name(r["name"])
        for x in [name] + acr:
            x = un_clean_alias(x)
            if x and un_alias_ok(x):
                out.append(x)
        return out

    used_refs = set()
    for g in GROUPS.CURATED:
        aliases = list(g["aliases"])
        attrs = {"kind": g["kind"], "country": g.get("country", "")}
        if g.get("un"):
            ref = g["un"]
            if ref not in un:
                raise SystemExit(f"unknown UN ref {ref}")
            used_refs.add(ref)
            aliases += un_aliases(ref)
            attrs.update(un_ref=ref, un_list=un[ref]["list"],
                         un_listed_on=un[ref]["listed_on"])
        if g.get("phoenix"):
            if g["phoenix"] not in phoenix:
                raise SystemExit(f"unknown Phoenix key {g['phoenix']}")
            attrs["phoenix_key"] = g["phoenix"]
        acr = [a for a in g["aliases"] if is_acronym(a)
               and len(re.sub(r"\W", "", a)) <= 6]
        attrs["acronym"] = acr[0] if acr else ""
        ent = dict(id=g["id"], name=g["name"], aliases=aliases,
                   attributes=attrs)
        if g.get("case"):
            ent["case"] = g["case"]
        reg.add("armed_groups", ent)
    for ref in sorted(un):
        if ref in used_refs or ref in GROUPS.UN_SKIP:
            continue
        r = un[ref]
        if ref in UN_NAMES:
            name, extra = UN_NAMES[ref]
            aliases = list(extra)
        else:
            name, acr = split_name(r["name"])
            name = un_clean_alias(name)
            aliases = [un_clean_alias(a) for a in acr]
        for a in (r.get("aliases") or "").replace(";", "|").split("|"):
            a = un_clean_alias(a)
            if a and un_alias_ok(a):
                aliases.append(a)
        aliases = [a for a in aliases if a and un_alias_ok(a)]
        upper = r["name"].upper()
        is_group = r["list"] in GROUP_LISTS and not any(
            w in upper for w in COMPANY_WORDS)
        stem = "armed_groups" if is_group else "sanctioned_entities"
        prefix = "group" if is_group else "org"
        eid = f"{prefix}:{slug(name)}"
        if eid in reg.by_id:
            eid = f"{prefix}:{slug(name)}-{slug(ref)}"
        acr = [a for a in aliases if is_acronym(a)
               and len(re.sub(r"\W", "", a)) <= 6]
        reg.add(stem, dict(id=eid, name=name, aliases=aliases, attributes={
            "kind": "armed_group" if is_group else "sanctioned_entity",
            "acronym": acr[0] if acr else "",
            "un_ref": ref, "un_list": r["list"],
            "un_listed_on": r["listed_on"]}))
    for key, eid, name, aliases, a3 in GROUPS.PHOENIX:
        if key not in phoenix:
            raise SystemExit(f"unknown Phoenix key {key}")
        if eid is None:
            continue
        pname, pacr = phoenix_name(key)
        name = name or pname
        al = list(aliases) + [a for a in pacr if a not in aliases]
        acr = [a for a in al if is_acronym(a)
               and len(re.sub(r"\W", "", a)) <= 6]
        reg.add("armed_groups", dict(id=eid, name=name, aliases=al,
                                     attributes={"kind": "armed_group",
                                                 "country": a3,
                                                 "acronym": acr[0] if acr
                                                 else "",
                                                 "phoenix_key": key}))


SOVEREIGN_HOME = {"Q43274": "GBR", "Q154952": "NLD", "Q1004037": "DNK",
                  "Q3052772": "FRA"}
DIPLOMAT_RE = re.compile(
    r"Foreign|Secretary of State|Ambassador|Chargé|Permanent Representative|"
    r"External Affairs|International Relations|High Representative|Envoy|"
    r"Special Representative|Spokes\w+ (of|for) the (US State Department|"
    r"Ministry of Foreign|Chinese Foreign|Russian Foreign|Ministry of "
    r"External)")


def build_officials(reg: Registry, data: Path, cinfo: dict) -> None:
    reg.add_file("officials", {"name": "officials", "type": "person"},
                 "Officials: current heads of state and government "
                 "(Wikidata via\ncfmessias/geografia, CC0; Portuguese labels "
                 "translated, errors corrected),\nand officials curated by "
                 "hand (G20 foreign ministers, US and Pakistani\nofficials, "
                 "heads of international organisations). Aliases are full-"
                 "name\nvariants only; surnames are resolved by the engine.")
    people: dict[str, dict] = {}
    order: list[str] = []
    rows = []
    with (data / "officials/wikidata_leaders_current_cfmessias.csv").open(
            encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["iso3"], r["role"], clean(r["person"]),
                         r["person_qid"], iso_date(r["start"]),
                         iso_date(r["end"])))
    for a3, role, person, since, until in OFFICIALS.LEADER_ADD:
        rows.append((a3, role, person, "", since, until))
    for a3, role, person, qid, since, until in rows:
        if (a3, role, person) in OFFICIALS.LEADER_DROP:
            continue
        if a3 not in cinfo:
            continue
        since = OFFICIALS.LEADER_SINCE.get((a3, role, person), since)
        until = OFFICIALS.LEADER_UNTIL.get((a3, role, person), until)
        name, aliases = OFFICIALS.LEADER_NAMES.get(person, (person, []))
        pkey = qid or slug(name)
        if pkey not in people:
            people[pkey] = {"name": name, "aliases": list(aliases),
                            "qid": qid, "roles": []}
            order.append(pkey)
        people[pkey]["roles"].append((a3, role, since, until))
    by_slug: dict[str, dict] = {}
    for pkey in order:
        p = people[pkey]
        roles = p["roles"]
        home = SOVEREIGN_HOME.get(p["qid"])
        countries = []
        for a3, _, _, _ in roles:
            if a3 not in countries:
                countries.append(a3)
        if home not in countries:
            indep = [c for c in countries
                     if (cinfo[c]["m"] or {}).get("independent")]
            home = indep[0] if indep else countries[0]
        mine = [r for r in roles if r[0] == home]
        kinds = {r[1] for r in mine}
        titles = OFFICIALS.TITLES.get(home)
        cname = cinfo[home]["name"]
        if kinds == {"head_of_state", "head_of_government"}:
            position = "head_of_state_and_government"
            if titles and titles[0] == titles[1]:
                role = titles[0]
            elif titles:
                role = f"{titles[0]}; {titles[1]}"
            else:
                role = f"head of state and government of {cname}"
        elif "head_of_state" in kinds:
            position = "head_of_state"
            role = titles[0] if titles else f"head of state of {cname}"
        else:
            position = "head_of_government"
            role = titles[1] if titles else f"head of government of {cname}"
        since = min((r[2] for r in mine if r[2]), default="")
        untils = [r[3] for r in mine]
        until = max(untils) if untils and all(untils) else ""
        others = [c for c in countries if c != home]
        eid = f"person:{slug(p['name'])}"
        ent = reg.add("officials", dict(
            id=eid, name=p["name"], aliases=p["aliases"],
            attributes={"role": role, "position": position, "country": home,
                        "since": since, "until": until,
                        "also_head_of_state_of": ";".join(others),
                        "wikidata": p["qid"]}))
        reg.internal[eid]["head"] = True
        by_slug[eid] = ent
    for o in OFFICIALS.OFFICIALS:
        eid = o.get("id") or f"person:{slug(o['name'])}"
        if eid in reg.by_id:
            ent = reg.by_id[eid]
            ent["aliases"].extend(o.get("aliases", []))
            a = ent["attributes"]
            a["role"] = o["role"]
            for k in ("country", "organization", "since", "until"):
                if o.get(k):
                    a[k] = o[k]
        else:
            reg.add("officials", dict(
                id=eid, name=o["name"], aliases=list(o.get("aliases", [])),
                attributes={"role": o["role"], "country": o.get("country", ""),
                            "organization": o.get("organization", ""),
                            "since": o.get("since", ""),
                            "until": o.get("until", "")}))
        reg.internal[eid]["curated"] = True
    # role classes used by topic rules
    for ent in reg.files["officials"]["entities"]:
        role = ent["attributes"].get("role", "")
        if DIPLOMAT_RE.search(role):
            reg.internal[ent["id"]]["diplomat"] = True
        org = ent["attributes"].get("organization", "")
        if org:
            reg.internal[ent["id"]]["org"] = org


def build_notable(reg: Registry) -> None:
    reg.add_file("notable", {"name": "notable"},
                 "Well-known names that contain a place name (people, "
                 "companies, media), so\nthat the longest-match rule keeps "
                 "them from tagging the place; plus major\nnews agencies and "
                 "broadcasters. Written by hand.")
    for eid, name, typ, aliases, attrs in NOTABLE.NOTABLE:
        reg.add("notable", dict(id=eid, name=name, type=typ,
                                aliases=list(aliases), attributes=dict(attrs)))


TERROR_CORE = {
    "group:ttp", "group:let", "group:jem", "group:lej", "group:isil",
    "group:aqis", "group:is-sinai", "group:is-somalia", "group:is-mozambique",
    "group:bla", "group:blf", "group:hafiz-gul-bahadur", "group:trf",
    "group:lashkar-e-islam", "group:jaish-al-adl", "group:pij",
    "group:qassam-brigades", "group:hamas", "group:huji", "group:hum",
    "group:jamaat-ul-ahrar", "group:ssp", "group:etim", "group:imu",
    "group:iju", "group:jmb", "group:al-qaeda", "group:aqap", "group:aqim",
    "group:aqi", "group:iskp", "group:iswap", "group:isgs", "group:is-libya",
    "group:is-yemen", "group:boko-haram", "group:ansaru", "group:jnim",
    "group:al-shabaab", "group:haqqani-network", "group:nusra-front",
    "group:abu-sayyaf", "group:jemaah-islamiyah", "group:jad", "group:adf",
    "group:aum-shinrikyo", "group:kkk", "group:mujao", "group:ansar-dine",
    "group:al-mourabitoun", "group:taliban",
}


def companies() -> list[dict]:
    """The companies of gazetteers/companies.toml (written by
    tools/gen_companies.py), for sector-based topic evidence."""
    path = Path(__file__).resolve().parent.parent / "gazetteers" / \
        "companies.toml"
    if not path.exists():
        return []
    with path.open("rb") as f:
        return tomllib.load(f).get("entity", [])


def build_topics(reg: Registry) -> list[dict]:
    out = []
    company_sector = {e["id"]: e.get("attributes", {}).get("sector", "")
                      for e in companies()}
    ents_by_file_kind = defaultdict(list)
    for ent in reg.by_id.values():
        ents_by_file_kind[(ent["_file"], ent["attributes"].get("kind", ""))] \
            .append(ent["id"])
    gov_kind = {e["id"]: e["attributes"].get("kind") for e in
                reg.by_id.values()}
    for t in TOPICS.TOPICS + VOCAB.TOPICS_MORE:
        adj = TOPICS.ADJUST.get(t["id"], {})
        ambiguous = VOCAB.AMBIGUOUS.get(t["id"], set())
        kws: dict[str, float] = {}
        for term, w in (list(t["keywords"]) + TOPICS.EXTRA.get(t["id"], [])
                        + VOCAB.MORE.get(t["id"], [])):
            if term in adj:
                if adj[term] is None:
                    continue
                w = adj[term]
            if not 0.5 <= w <= 3.0:
                raise SystemExit(f"{t['id']}: weight {w} for {term!r}")
            if term in VOCAB.TOO_GENERIC:
                continue
            kws.setdefault(term, w)
        # An ambiguous term weighs at most 1.5.
        amb = {}
        for term in list(kws):
            if term in ambiguous:
                kws[term] = min(kws[term], 1.5)
                amb[term] = True
        ents: dict[str, float] = {}

        def put(eid, w):
            if eid not in reg.by_id and eid not in company_sector:
                raise SystemExit(f"topic {t['id']}: unknown entity {eid}")
            ents[eid] = max(ents.get(eid, 0.0), w)

        for eid, w in t.get("entities", []):
            put(eid, w)
        for rule, w in t.get("entity_rules", []):
            if rule.startswith("kind:"):
                _, stem, kind = rule.split(":", 2)
                for eid in ents_by_file_kind[(stem, kind)]:
                    put(eid, w)
            elif rule == "heads":
                for eid, tags in reg.internal.items():
                    if tags.get("head"):
                        put(eid, w)
            elif rule == "diplomats":
                for eid, tags in reg.internal.items():
                    if tags.get("diplomat"):
                        put(eid, w)
            elif rule == "economy_officials":
                econ_orgs = {"org:imf", "org:world-bank-group",
                             "org:world-bank", "org:wto", "org:ecb"}
                for eid, tags in reg.internal.items():
                    org = tags.get("org")
                    if org and (org in econ_orgs or gov_kind.get(org) in
                                ("central_bank", "finance_ministry")):
                        put(eid, w)
            elif rule == "groups_terrorism":
                for ent in reg.files["armed_groups"]["entities"]:
                    if ent["attributes"].get("kind") != "armed_group":
                        continue
                    core = (ent["id"] in TERROR_CORE or
                            ent["attributes"].get("un_list") in
                            ("Al-Qaida", "Taliban", "Somalia"))
                    put(ent["id"], w if core else 1.0)
            elif rule.startswith("attr:"):
                _, stem, cond = rule.split(":", 2)
                key, value = cond.split("=", 1)
                for ent in reg.files[stem]["entities"]:
                    if ent["attributes"].get(key) == value:
                        put(ent["id"], w)
            elif rule.startswith("companies:"):
                sectors = rule.split(":", 1)[1].split("|")
                for eid, sector in company_sector.items():
                    if "*" in sectors or sector in sectors:
                        put(eid, w)
            elif rule == "groups_conflict":
                for ent in reg.files["armed_groups"]["entities"]:
                    if ent["attributes"].get("kind") == "armed_group":
                        put(ent["id"], w)
            else:
                raise SystemExit(f"unknown entity rule {rule}")
        out.append({"id": t["id"], "name": t["name"],
                    "parent": t.get("parent") or VOCAB.PARENTS.get(t["id"]),
                    "ambiguous": amb,
                    "keywords": list(kws.items()),
                    "entities": sorted(ents.items()),
                    "threshold": t.get("threshold"),
                    "attributes": {"iptc": t["iptc"]}})
    # A term listed by a topic and by one of its descendants stays with the
    # descendant only: its evidence rolls up to the ancestor anyway.
    by_id = {t["id"]: t for t in out}

    def ancestors(t):
        p = t["parent"]
        while p:
            yield by_id[p]
            p = by_id[p]["parent"]

    def fold(term):
        # as the engine compares keywords: case and diacritics folded
        return "".join(c for c in unicodedata.normalize("NFKD", term)
                       if not unicodedata.combining(c)).casefold()

    for t in out:
        terms = {fold(k) for k, _ in t["keywords"]}
        for a in ancestors(t):
            a["keywords"] = [(k, w) for k, w in a["keywords"]
                             if fold(k) not in terms]
    # A keyword that is also a name of an entity counting as evidence in
    # the same family would count twice for one mention: the entity stays.
    def root(t):
        while t["parent"]:
            t = by_id[t["parent"]]
        return t["id"]

    # It takes the keyword's weight when that is larger.
    family_names = defaultdict(dict)
    company_by_id = {e["id"]: e for e in companies()}
    for t in out:
        for eid, _ in t["entities"]:
            ent = reg.by_id.get(eid) or company_by_id[eid]
            for n in [ent["name"]] + list(ent.get("aliases", [])):
                family_names[root(t)].setdefault(fold(n), (t, eid))
    for t in out:
        names = family_names[root(t)]
        kept = []
        for k, w in t["keywords"]:
            owner = names.get(fold(k))
            if owner is None:
                kept.append((k, w))
                continue
            o, eid = owner
            o["entities"] = [(e, max(ew, w) if e == eid else ew)
                             for e, ew in o["entities"]]
        t["keywords"] = kept
    for t in out:
        seen = {}
        kws = []
        for k, w in t["keywords"]:
            if fold(k) in seen:
                continue
            seen[fold(k)] = True
            kws.append((k, w))
        t["keywords"] = kws
        if len(kws) < (60 if t["parent"] else 100):
            raise SystemExit(f"topic {t['id']}: only {len(kws)} keywords")
    return out


# ---------------------------------------------------------------------------
# Alias collision preferences: alias (folded) -> entity id that keeps it.

PREFER = {
    "congo": "COD",
    "congolese": "COD",
    "dominican": "DOM",
    "dominicans": "DOM",
    "georgia": "GEO",
    "kingston": "city:JAM:kingston",
    "new york": "city:USA:new-york-city",
    "washington": "city:USA:washington",
    "foreign office": "org:fcdo",
    "nsc": "org:us-nsc",
    "national security council": "org:us-nsc",
    "rsf": "group:rsf-sudan",
    "idb": "org:iadb",
    "esa": "org:esa",
    "ctbto": "org:ctbto",
    "sdf": "group:sdf",
    "pcb": "org:pcb",
    "ioc": "org:ioc",
    "icc": "org:icc",
    "isi": "org:isi",
    "islamic state in iraq and the levant": "group:isil",
    "hayat tahrir al-sham": "group:hts",
    "hayat tahrir al sham": "group:hts",
    "hay'at tahrir al-sham": "group:hts",
    "hay'at tahrir al sham": "group:hts",
    "mqm": "org:mqm-p",
    "eu": "org:eu",
    "un": "org:un",
    "au": "org:au",
    "cis": "org:cis",
    "nis": "org:kor-nis",
    "fsb": "org:fsb",
    "sis": "org:mi6",
    "ecb": "org:ecb",
    "nasa": "org:nasa",
    "shabaab": "group:al-shabaab",
    "al-shabab": "group:al-shabaab",
    "hezbollah": "group:hezbollah",
    "tehrik-e-taliban": "group:ttp",
    "jundallah": "group:jaish-al-adl",
    "islamic state": "group:isil",
    "ansar al-islam": "group:ansar-al-islam",
    "federal reserve": "org:federal-reserve",
    "white house": "org:white-house",
    "us": "USA",
    "u.s.": "USA",
    "indian": "IND",
    "indians": "IND",
    "american": "USA",
    "americans": "USA",
    "french": "FRA",
    "dutch": "NLD",
    "norwegian": "NOR",
    "norwegians": "NOR",
    "chinese": "CHN",
    "samoan": "WSM",
    "samoans": "WSM",
}


# ---------------------------------------------------------------------------
# Checks and summary


def check(out_dir: Path, data: Path, capital_countries: list[str]):
    """Re-reads the written files with tomllib and checks the invariants
    the brief asks for. Returns (problems, parsed files, demonym share)."""
    problems = []
    ids: Counter = Counter()
    docs = {}
    for p in sorted(out_dir.glob("*.toml")):
        with p.open("rb") as f:
            try:
                docs[p.name] = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                problems.append(f"{p.name}: {e}")
                continue
        for e in docs[p.name].get("entity", []):
            ids[e["id"]] += 1
            for k, v in e.get("attributes", {}).items():
                if not isinstance(v, str):
                    problems.append(f"{e['id']}: attribute {k} not a string")
    for i, n in ids.items():
        if n > 1:
            problems.append(f"duplicate id {i}")
    for name, d in docs.items():
        for e in d.get("entity", []):
            org = e.get("attributes", {}).get("organization")
            if org and org not in ids:
                problems.append(f"{e['id']}: unknown organization {org}")
            c = e.get("attributes", {}).get("country")
            if c and c not in ids:
                problems.append(f"{e['id']}: unknown country {c}")
            for c in e.get("attributes", {}).get("successors", "").split("|"):
                if c and c not in ids:
                    problems.append(f"{e['id']}: unknown successor {c}")
    for name, d in docs.items():
        for t in d.get("topic", []):
            kw = t.get("keywords", [])
            if len(kw) < 40:
                problems.append(f"topic {t['id']}: only {len(kw)} keywords")
            for e in t.get("entities", []):
                eid = e if isinstance(e, str) else e["id"]
                if eid not in ids:
                    problems.append(f"topic {t['id']}: unknown entity {eid}")
    deb = load_json(data / "countries/debian_iso_codes/iso_3166-1.json")
    countries = {e["id"]: e for e in docs.get("countries.toml", {})
                 .get("entity", [])}
    for d in deb["3166-1"]:
        if d["alpha_3"] not in countries:
            problems.append(f"country {d['alpha_3']} missing")
    with_dem = sum(1 for d in deb["3166-1"]
                   if countries.get(d["alpha_3"], {}).get("attributes", {})
                   .get("demonym"))
    share = with_dem / len(deb["3166-1"])
    if share < 0.95:
        problems.append(f"only {share:.1%} of countries have a demonym")
    cities = docs.get("cities.toml", {}).get("entity", [])
    have_cap = {e["attributes"].get("capital_of") for e in cities}
    for a3 in capital_countries:
        if a3 not in have_cap:
            problems.append(f"capital of {a3} missing")
    for name in ("Washington", "Islamabad", "Kabul", "Beijing"):
        if not any(e["name"] == name for e in cities):
            problems.append(f"city {name} missing")
    # alias sanity
    for name, d in docs.items():
        for e in d.get("entity", []):
            forms = [a for k in FORM_FIELDS for a in e.get(k, [])]
            for a in [e["name"]] + forms:
                if len(a) > 256:
                    problems.append(f"{e['id']}: name longer than 256 "
                                    f"characters")
            for a in forms:
                f = re.sub(r"[^a-z0-9]", "", fold(a))
                if len(f) < 2:
                    problems.append(f"{e['id']}: 1-char alias {a!r}")
                if len(f) == 2 and \
                        f.upper() not in Registry.ALLOWED_TWO_LETTER:
                    problems.append(f"{e['id']}: 2-letter alias {a!r}")
    return problems, docs, share


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"),
                    help="reference data directory (default ../shared/data "
                         "relative to the repository root)")
    ap.add_argument("--out", default=str(REPO / "gazetteers"),
                    help="output directory (default gazetteers/)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every alias dropped by the hygiene rules")
    args = ap.parse_args()
    data = Path(args.data)
    out = Path(args.out)
    if not (data / "README.md").exists():
        print(f"error: no reference data in {data}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)

    reg = Registry()
    cinfo = build_countries(reg, data)
    capital_countries = build_cities(reg, data, cinfo)
    build_regions(reg)
    build_sports(reg)
    build_intl(reg, data)
    build_government(reg, data)
    build_groups(reg, data)
    build_officials(reg, data, cinfo)
    build_notable(reg)
    reg.add_al_variants()
    for eid in sorted(INTL.EXACT_CASE | GOV.EXACT_CASE):
        if eid not in reg.by_id:
            raise SystemExit(f"EXACT_CASE: unknown id {eid}")
        reg.by_id[eid]["case"] = "exact"
    reg.tidy()
    reg.resolve_collisions(PREFER)
    topics = build_topics(reg)

    # companies.toml has its own generator (tools/gen_companies.py).
    for old in out.glob("*.toml"):
        if old.name != "companies.toml":
            old.unlink()
    for stem, f in reg.files.items():
        ents = f["entities"]
        for e in ents:
            e.pop("_file", None)
        write_entities(out / f"{stem}.toml", f["domain"], ents, f["header"])
    write_topics(out / "topics.toml", topics,
                 "Topics aligned with the IPTC Media Topics top level "
                 "(CC-BY-4.0 codes);\nkeywords and weights written by hand.")

    problems, docs, share = check(out, data, capital_countries)
    if args.verbose:
        for line in reg.log:
            print("  " + line)
    print("gazetteers written to", out)
    total = 0
    for name in sorted(docs):
        d = docs[name]
        n_e, n_t = len(d.get("entity", [])), len(d.get("topic", []))
        n_a = sum(len(e.get(k, [])) for e in d.get("entity", [])
                  for k in FORM_FIELDS)
        total += n_e
        what = f"{n_t} topics" if n_t else f"{n_e} entities, {n_a} other names"
        print(f"  {name:26} {what}")
    print(f"  {'total':26} {total} entities")
    print(f"  countries with a demonym: {share:.1%}")
    shared = sorted(set((k, tuple(v)) for k, v in reg.kept_shared))
    print(f"  shared names kept: {len(shared)}")
    for k, v in shared:
        print(f"    {k!r}: {', '.join(v)}")
    dropped = sum(1 for l in reg.log if "shared alias" in l)
    print(f"  aliases dropped as shared: {dropped} (use -v to list)")
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  " + p)
        return 1
    gaz = None
    for cand in ("target/release/gaztag", "target/debug/gaztag"):
        if (REPO / cand).exists():
            gaz = REPO / cand
            break
    if gaz:
        r = subprocess.run([str(gaz), "check", "--no-builtin", "-g",
                            str(out)], capture_output=True, text=True)
        print(f"  {gaz.relative_to(REPO)} check: exit {r.returncode}")
        msg = (r.stdout + r.stderr).strip()
        if msg:
            print("    " + msg.replace("\n", "\n    ")[:4000])
        if r.returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
