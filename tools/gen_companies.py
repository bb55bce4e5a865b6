#!/usr/bin/env python3
"""Generate gazetteers/companies.toml: the constituents of the major stock
indices, from the data file of the PyPI package pytickersymbols (MIT).

Usage (from the repository root; Python 3.11 standard library only):

    pip download pytickersymbols==1.17.10 --no-deps -d /tmp/pyts
    python3 -m zipfile -e /tmp/pyts/pytickersymbols-1.17.10-py3-none-any.whl /tmp/pyts/un
    python3 tools/gen_companies.py /tmp/pyts/un/pytickersymbols/indices_data.py

The data file is read with `ast.literal_eval`, never imported or run. Only
facts are taken: company names, tickers, exchanges, index membership,
country and industry (mapped to a small sector vocabulary). Names and
aliases already owned by another built-in gazetteer are left out (the
company too when its name is taken), and so are aliases that are everyday
words, first names or places (see RISKY). `-v` prints what was dropped.
Output is deterministic.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "gazetteers" / "companies.toml"
SOURCE = "pytickersymbols 1.17.10"

# The indices taken, in order of precedence for a company's primary
# listing (national blue-chip indices first). The package's mid- and
# small-cap indices (S&P 600, MDAX, SDAX, TecDAX, CAC Mid 60) are left out.
# The third item is the index's home country: a member with an ISIN of
# that country is of that country (the package's country field is wrong
# for many Nikkei and IBEX members; not for US indices, whose field is
# right and where foreign companies have US ISINs), and a member the package gives no
# country is of the home country of its first index.
INDICES = [
    ("DOW JONES", "Dow Jones", "USA"),
    ("S&P 100", "S&P 100", "USA"),
    ("NASDAQ 100", "NASDAQ-100", "USA"),
    ("S&P 500", "S&P 500", "USA"),
    ("FTSE 100", "FTSE 100", "GBR"),
    ("DAX", "DAX", "DEU"),
    ("CAC_40", "CAC 40", "FRA"),
    ("AEX", "AEX", "NLD"),
    ("BEL 20", "BEL 20", "BEL"),
    ("IBEX 35", "IBEX 35", "ESP"),
    ("Switzerland 20", "SMI", "CHE"),
    ("OMX Stockholm 30", "OMX Stockholm 30", "SWE"),
    ("OMX Helsinki 25", "OMX Helsinki 25", "FIN"),
    ("NIKKEI 225", "Nikkei 225", "JPN"),
    ("EURO STOXX 50", "EURO STOXX 50", None),
]

# Yahoo symbol suffix -> exchange.
SUFFIX_EXCHANGE = {
    "L": "LSE", "DE": "XETRA", "F": "Frankfurt", "PA": "Euronext Paris",
    "AS": "Euronext Amsterdam", "BR": "Euronext Brussels",
    "MC": "BME", "T": "TSE", "ST": "Nasdaq Stockholm",
    "HE": "Nasdaq Helsinki", "SW": "SIX", "MI": "Borsa Italiana",
    "LS": "Euronext Lisbon", "IR": "Euronext Dublin", "CO": "Nasdaq Copenhagen",
    "VI": "Vienna", "OL": "Oslo",
}
GOOGLE_EXCHANGE = {"NASDAQ": "NASDAQ", "NYSE": "NYSE", "NYSEAMERICAN": "NYSE",
                   "BATS": "Cboe BZX"}

# Sector vocabulary: each industry string of the package is given the
# first sector whose pattern it matches; a company gets the sector most of
# its industry strings have (ties: the earlier sector here).
SECTORS = [
    ("automotive", r"automo|auto parts|automobile|\bcars?\b|tires|fahrzeug"),
    ("real_estate", r"real estate|reit|immobilien|property"),
    ("utilities", r"utilit|electric power|versorg|power generation"),
    ("telecom", r"telecom|telekom|wireless|communications services"),
    ("media", r"media|broadcast|entertainment|publishing|advertis|"
              r"cable|film|video games|gaming"),
    ("health", r"health|pharma|biotech|medical|medizin|drug|life science|"
               r"diagnost|hospital"),
    ("financial", r"financ|bank|insur|invest|capital market|asset manag|"
                  r"exchange|brokerage|credit|payment|versicher|lending"),
    ("energy", r"\boil\b|\bgas\b|energy|energie|petrol|coal|refin|pipeline|"
               r"drilling"),
    ("retail", r"retail|department store|supermarket|grocery|e-commerce|"
               r"einzelhandel|handel"),
    ("technology", r"technolog|software|semiconductor|halbleiter|internet|"
                   r"electronic|computer|\bit\b|information|digital|cloud"),
    ("materials", r"material|chemi|mining|metal|steel|paper|forest|"
                  r"packaging|gold|copper|stahl|bergbau|cement|glass"),
    ("consumer", r"consumer|food|beverage|tobacco|apparel|household|"
                 r"personal (care|products)|hotel|restaurant|leisure|"
                 r"cosmetic|luxury|brew|textile|nahrung|hospitality|travel"),
    ("industrial", r"industr|aerospace|defen[cs]e|machinery|transport|"
                   r"airline|air transport|construction|engineering|"
                   r"logistic|railroad|shipping|conglomerate|manufactur|"
                   r"maschinen|electrical equipment|business services|"
                   r"professional services|waste"),
]
SECTOR_RE = [(s, re.compile(p, re.I)) for s, p in SECTORS]

# Legal-form words stripped (from the end) to make the short alias.
SUFFIXES = [
    "incorporated", "inc", "corporation", "corp", "company", "co", "plc",
    "ag", "se", "sa", "s a", "nv", "n v", "ltd", "limited", "holdings",
    "holding", "group", "oyj", "ab", "asa", "spa", "s p a", "kgaa",
    "& co kgaa", "co kgaa", "& co", "lp", "l p", "the",
]

# Short names that are everyday words, first names, surnames or places,
# beyond the common-word list that `gaztag check` uses
# (data/common_words_en.txt): never aliases. Reviewed by hand.
RISKY = {
    # everyday words (not in the 5,000 most frequent)
    "adobe", "alphabet", "booking", "canon", "carnival", "caterpillar",
    "compass", "continental", "corning", "costar", "diploma", "disco",
    "hexagon", "investor", "kingfisher", "mosaic", "oracle", "persimmon",
    "prudential", "sage", "tapestry", "visa", "weir", "workday", "xylem",
    "admiral",
    # places, mountains, people and other readings
    "albemarle", "antofagasta", "berkeley", "dover", "eaton", "ebara",
    "everest", "fresnillo", "hartford", "hershey", "keio", "mccormick",
    "meiji", "okuma", "olympus", "orion", "pearson", "randstad", "rollins",
    "shimizu", "tokuyama", "toto", "vinci",
    # names several companies share
    "merck", "mitsubishi", "mitsui", "sumitomo", "porsche", "yamaha", "seb",
    "smc",
    # multi-word aliases that are ordinary phrases, places or people
    "american international", "international airlines", "waste management",
    "state street", "pershing square", "st. james's place", "anglo american",
    "walt disney", "ralph lauren",
}

# Names that are themselves too risky to be the canonical name, and the
# qualified name used instead (the bare name is then dropped).
RENAME = {
    "Amazon": "Amazon.com, Inc.",
    "Elisa": "Elisa Oyj",
    "Recruit": "Recruit Holdings",
    "Campbell's": "The Campbell's Company",
    "Suzuki": "Suzuki Motor Corporation",
    "Kalmar": "Kalmar Corporation",
    "BD": "Becton, Dickinson and Company",
    "EBay": "eBay",
    "PTC": "PTC Inc.",
}

# Aliases written by hand (well-known short forms the data lacks).
EXTRA_ALIASES = {
    "Amazon.com, Inc.": ["Amazon.com"],
    "Becton, Dickinson and Company": ["Becton Dickinson"],
    "Swiss Reinsurance Company Ltd": ["Swiss Re"],
    "Suzuki Motor Corporation": ["Suzuki Motor"],
}

# Evident data errors of the source, corrected by hand (facts).
COUNTRY_FIX = {
    "Eurofins Scientific": "LUX",
}

# ---------------------------------------------------------------------------
# Text helpers (as in tools/gen_gazetteers.py)

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.dont_write_bytecode = True  # keep tools/gazdata free of __pycache__
from gazdata.text import fold, slug, toml_array, toml_str  # noqa: E402


# ---------------------------------------------------------------------------
# Reading


def read_indices(path: Path) -> dict:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "INDICES"
                        for t in node.targets)):
            return ast.literal_eval(node.value)
    sys.exit(f"{path}: no INDICES assignment")


def builtin_names() -> tuple[dict[str, str], dict[str, str]]:
    """The folded names of the other built-in gazetteers (name -> owner
    id), and country names -> alpha-3 (countries.toml, and US states from
    regions.toml -> USA)."""
    owners: dict[str, str] = {}
    countries: dict[str, str] = {}
    for f in sorted((REPO / "gazetteers").glob("*.toml")):
        if f.name == OUT.name:
            continue
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        for e in data.get("entity", []):
            names = [e["name"], *e.get("aliases", []), *e.get("acronyms", []),
                     *e.get("former_names", []), *e.get("demonyms", [])]
            for n in names:
                owners.setdefault(fold(n), e["id"])
            attrs = e.get("attributes", {})
            if f.name == "countries.toml":
                for n in names:
                    countries.setdefault(fold(n), e["id"])
                if attrs.get("iso2"):
                    countries.setdefault("isin:" + attrs["iso2"], e["id"])
                    countries.setdefault("iso2:" + e["id"], attrs["iso2"])
            if attrs.get("kind") == "us_state":
                for n in names:
                    countries.setdefault("us:" + fold(n), "USA")
    return owners, countries


def common_words() -> set[str]:
    path = REPO / "data" / "common_words_en.txt"
    return {w for w in path.read_text(encoding="utf-8").split()
            if not w.startswith("#")}


# ---------------------------------------------------------------------------
# Building


def country_of(raw: str | None, countries: dict[str, str]) -> str | None:
    """ISO alpha-3 of the package's country field: a country name, or a
    headquarters `City, State` / `City, Country`."""
    if not raw:
        return None
    raw = {"Russian Federation": "Russia", "Korea": "South Korea",
           "Hong Kong SAR": "Hong Kong", "UK": "United Kingdom",
           "The Netherlands": "Netherlands"}.get(raw.strip(), raw.strip())
    code = countries.get(fold(raw))
    if code:
        return code
    # `City, State` (a US state first: Atlanta, Georgia) or `City, Country`.
    for piece in reversed([p.strip() for p in raw.split(",")][1:]):
        code = (countries.get("us:" + fold(piece))
                or countries.get(fold(piece)))
        if code:
            return code
    return None


def sector_of(industries: list[str]) -> str | None:
    votes: Counter[str] = Counter()
    for ind in industries:
        # A list in one string (`Geospatial, Construction, ...`) is one
        # vote shared among its items.
        parts = [p for p in ind.split(",") if p.strip()]
        for part in parts:
            for s, rx in SECTOR_RE:
                if rx.search(part):
                    votes[s] += 1 / len(parts)
                    break
    if not votes:
        return None
    order = [s for s, _ in SECTORS]
    return min(votes, key=lambda s: (-votes[s], order.index(s)))


def listing(c: dict) -> tuple[str, str | None]:
    """(ticker, exchange) of the primary symbol."""
    sym = c.get("symbol") or ""
    google = ""
    for s in c.get("symbols", []):
        if s.get("yahoo") == sym:
            google = s.get("google") or ""
    if "." in sym:
        ticker, suffix = sym.rsplit(".", 1)
        return ticker, SUFFIX_EXCHANGE.get(suffix)
    prefix = google.split(":", 1)[0] if ":" in google else ""
    return sym, GOOGLE_EXCHANGE.get(prefix)


def clean_name(name: str) -> str:
    """The package's name without a share class glued on (`LifcoB`)."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip())
    name = re.sub(r"(?<=[a-zà-ÿ])[ABC]$", "", name)
    return re.sub(r"\s+", " ", name)


def strip_legal(name: str) -> str:
    """The name without a trailing legal form or a leading `The`."""
    s = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    changed = True
    while changed:
        changed = False
        words = s.rstrip(" .,").split()
        if len(words) > 1 and words[0].lower() == "the":
            s, changed = " ".join(words[1:]), True
            continue
        for suf in sorted(SUFFIXES, key=len, reverse=True):
            n = len(suf.split())
            tail = " ".join(words[-n:]) if len(words) > n else ""
            if fold(tail).replace(".", " ").replace(",", " ").split() \
                    == suf.split():
                s = re.sub(r"(\s+(and|&))+$", "", " ".join(words[:-n]))
                s = s.rstrip(" ,&")
                changed = True
                break
    return s.strip()


def holds_name(name: str, owners: dict[str, str]) -> bool:
    """Whether a run of the words of `name` (two or more) is a name of
    another built-in gazetteer, as `gaztag check`'s contains-name sees it."""
    words = fold(name).split()
    return len(words) > 1 and any(
        " ".join(words[i:j]) in owners
        for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        if j - i < len(words))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path,
                    help="pytickersymbols/indices_data.py of the package")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    data = read_indices(args.data)
    owners, countries = builtin_names()
    common = common_words()
    log = print if args.verbose else (lambda *a, **k: None)

    # Records in precedence order, grouped by shared symbol, ISIN,
    # Wikipedia page or folded short name (union-find).
    records = []
    home = {label: h for _, label, h in INDICES}
    for key, label, _ in INDICES:
        for c in data[key]["companies"]:
            c = dict(c, name=clean_name(c["name"]))
            records.append((label, c))
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, (_, c) in enumerate(records):
        keys = [f"sym:{c.get('symbol')}"] if c.get("symbol") else []
        keys += [f"isin:{x}" for x in c.get("isins", [])]
        url = (c.get("metadata") or {}).get("wikipedia_url")
        if url:
            keys.append(f"wiki:{url}")
        keys.append(f"name:{fold(c['name'])}")
        for k in keys:
            if k in seen:
                parent[find(i)] = find(seen[k])
            else:
                seen[k] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[find(i)].append(i)

    entities = []
    used_ids: set[str] = set()
    taken: dict[str, str] = {}
    for root in sorted(groups, key=lambda r: groups[r][0]):
        members = [records[i] for i in groups[root]]
        label0, first = members[0]
        name = RENAME.get(first["name"], first["name"])
        ticker, exchange = listing(first)
        indices = list(dict.fromkeys(lbl for lbl, _ in members))
        isins = {x[:2] for _, c in members for x in c.get("isins", [])}
        votes = Counter(home[lbl] for lbl, _ in members
                        if home[lbl] not in (None, "USA")
                        and countries.get("iso2:" + home[lbl]) in isins)
        if not votes:
            votes = Counter(country_of(c.get("country"), countries)
                            for _, c in members)
        votes.pop(None, None)
        if not votes:
            # The ISIN's prefix: the country of registration.
            votes = Counter(countries.get("isin:" + x[:2])
                            for _, c in members for x in c.get("isins", []))
            votes.pop(None, None)
        country = votes.most_common(1)[0][0] if votes else None
        country = country or home[label0]
        country = COUNTRY_FIX.get(name, country)
        industries = sorted({i for _, c in members
                             for i in c.get("industries", [])})
        sector = sector_of(industries)
        if fold(name) in owners:
            log(f"skip {name}: the name of {owners[fold(name)]}")
            continue
        if fold(name) in taken:
            log(f"skip {name}: the name of {taken[fold(name)]}")
            continue
        eid = f"company:{slug(strip_legal(name)) or slug(name)}"
        if eid in used_ids:
            eid = f"company:{slug(name)}"
        if eid in used_ids:
            eid = f"company:{slug(name)}-{slug(ticker)}"
        used_ids.add(eid)
        taken[fold(name)] = eid
        aliases = []
        candidates = [RENAME.get(c["name"], c["name"]) for _, c in members]
        candidates += [strip_legal(n) for n in list(candidates)]
        candidates += EXTRA_ALIASES.get(name, [])
        for a in dict.fromkeys(candidates):
            f = fold(a)
            if not a or f == fold(name) or f in (fold(x) for x in aliases):
                continue
            alnum = sum(ch.isalnum() for ch in f)
            why = None
            if alnum <= 2:
                why = "too short"
            elif a in RENAME:
                why = "renamed"
            elif f in RISKY or (" " not in f and f in common):
                why = "a word, first name or place"
            elif f in owners:
                why = f"a name of {owners[f]}"
            elif f in taken:
                why = f"a name of {taken[f]}"
            elif fold(ticker) == f and a.isupper() and len(a) <= 4:
                why = "the ticker"
            if why:
                log(f"drop alias {a!r} of {eid}: {why}")
                continue
            aliases.append(a)
            taken[f] = eid
        attrs = {"kind": "company", "ticker": ticker, "exchange": exchange,
                 "indices": "|".join(indices), "country": country,
                 "sector": sector}
        # A company name holding a place or another body's name (`Japan
        # Airlines`, `Tokyo Gas`) is meant: the longest match tags the
        # company where its whole name is written.
        if any(holds_name(n, owners) for n in [name, *aliases]):
            attrs["allow"] = "contains-name"
        entities.append({"id": eid, "name": name, "aliases": aliases,
                         "attributes": attrs})

    lines = [
        "# Companies: the constituents of the major stock indices (Dow Jones,",
        "# S&P 500, NASDAQ-100, FTSE 100, DAX, CAC 40, EURO STOXX 50, Nikkei 225,",
        "# AEX, BEL 20, IBEX 35, SMI, OMX Stockholm 30, OMX Helsinki 25), from the",
        f"# data of the PyPI package {SOURCE} (MIT, (c) 2023 portfolio+;",
        "# names, tickers, index membership, country and sector only).",
        "# Generated by tools/gen_companies.py - do not edit by hand.",
        "",
        "[domain]",
        'name = "companies"',
        'type = "organization"',
        "",
    ]
    for e in entities:
        lines.append("[[entity]]")
        lines.append(f"id = {toml_str(e['id'])}")
        lines.append(f"name = {toml_str(e['name'])}")
        if e["aliases"]:
            lines.append("aliases = " + toml_array(
                [toml_str(a) for a in e["aliases"]]))
        lines.append("[entity.attributes]")
        for k, v in e["attributes"].items():
            if v:
                lines.append(f"{k} = {toml_str(v)}")
        lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    tomllib.loads(args.out.read_text(encoding="utf-8"))
    n_alias = sum(len(e["aliases"]) for e in entities)
    print(f"{args.out}: {len(entities)} companies, {n_alias} aliases "
          f"from {len(records)} index rows")


if __name__ == "__main__":
    main()
