"""Tests of the Python package: the same rows as the CLI, exact offsets,
thread-count independence, the GIL released, errors as rows."""

import glob
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

import gaztag

ROOT = Path(__file__).resolve().parents[2]


def gaztag_bin():
    """The CLI to compare with: $GAZTAG, or the release build."""
    b = os.environ.get("GAZTAG") or str(ROOT / "target" / "release" / "gaztag")
    if not Path(b).exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return b


HOSTILE = {
    "emoji": "🇵🇰 Pakistan 👍 and the 🇺🇸 US met; Kabul 🙂.",
    "combining": "Pakistan\u0301 and Co\u0302te d'Ivoire met in Islamabad.",
    "crlf": "Talks in Kabul.\r\nPakistan and\r\nthe United\r\nStates agreed.\r\n",
    "nul": "Pakistan\x00 and India",
    "bom": "\ufeffKenya and Chad.",
    "big": ("Pakistan and India held talks in Islamabad. " * 23000)[:1_000_000],
}


def cli_rows(docs):
    """`gaztag tag --format jsonl` on the documents (id, text), as dicts per
    table, keyed by doc_id."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "docs.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for i, t in docs:
                f.write(json.dumps({"id": i, "text": t}) + "\n")
        out = Path(d) / "out"
        subprocess.run(
            [gaztag_bin(), "tag", str(src), "-o", str(out), "--format", "jsonl", "-q"],
            check=False,
        )
        tables = {}
        for t in ("mentions", "topics", "documents"):
            rows = [json.loads(l) for l in open(out / f"{t}.jsonl", encoding="utf-8")]
            tables[t] = rows
        return tables


def py_rows(tagger, docs):
    tables = {"mentions": [], "topics": [], "documents": []}
    for tagged in tagger.tag_many(docs):
        tables["mentions"] += [m.as_dict() for m in tagged.mentions]
        tables["topics"] += [t.as_dict() for t in tagged.topics]
        tables["documents"].append(tagged.document.as_dict())
    return tables


@pytest.fixture(scope="module")
def tagger():
    return gaztag.Tagger()


def articles():
    files = sorted(glob.glob(str(ROOT / "examples" / "articles" / "*.txt")))
    assert len(files) >= 3
    return [(Path(f).name, open(f, encoding="utf-8").read()) for f in files]


def test_same_rows_as_the_cli_on_the_examples_and_hostile_text(tagger):
    # NUL is refused by the CLI's readers of files, not of JSON strings;
    # both read JSON here.
    docs = articles() + [(k, v) for k, v in HOSTILE.items() if k != "bom"]
    assert py_rows(tagger, docs) == cli_rows(docs)


def test_offsets_slice_the_python_string(tagger):
    for text in list(HOSTILE.values()) + [t for _, t in articles()]:
        tagged = tagger.tag(text)
        assert tagged.document.status == "ok"
        for m in tagged.mentions:
            assert text[m.start:m.end] == m.text, (m, text[m.start:m.end])
            assert text.encode("utf-8")[m.byte_start:m.byte_end].decode("utf-8") == m.text
    # A leading BOM is a character of the Python string.
    m = tagger.tag(HOSTILE["bom"]).mentions[0]
    assert (m.start, m.text) == (1, "Kenya")


def test_results_do_not_depend_on_threads():
    docs = articles() * 20 + list(HOSTILE.items())
    one = py_rows(gaztag.Tagger(threads=1), docs)
    three = py_rows(gaztag.Tagger(threads=3), docs)
    assert one == three
    assert [d["doc_id"] for d in one["documents"]] == [i for i, _ in docs]


def test_the_gil_is_released(tagger):
    docs = [HOSTILE["big"]] * 6
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    th = threading.Thread(target=tick)
    th.start()
    started = time.perf_counter()
    for _ in tagger.tag_many(docs, batch_size=6):
        pass
    took = time.perf_counter() - started
    done.set()
    th.join()
    during = [t for t in ticks if started <= t <= started + took]
    # The other thread ran all along, not only between batches.
    assert took > 0.05
    assert len(during) >= 10, (len(during), took)


def test_bad_documents_are_error_rows_and_the_batch_goes_on(tagger):
    docs = [("a", "Kenya."), ("b", None), ("c", 5), ("d", "bad \ud800 surrogate"), ("e", "Chad.")]
    out = list(tagger.tag_many(docs))
    status = [(t.document.doc_id, t.document.status) for t in out]
    assert status == [("a", "ok"), ("b", "error"), ("c", "error"), ("d", "error"), ("e", "ok")]
    assert "None" in out[1].document.error
    assert out[1].document.mentions is None and out[1].mentions == []
    assert out[4].mentions[0].entity_id == "TCD"


def test_a_bad_gazetteer_raises_with_every_problem(tmp_path):
    g = tmp_path / "bad.toml"
    g.write_text('[[entity]]\nid = "x"\nname = ""\ntype = "t"\nalias = ["y"]\n', encoding="utf-8")
    with pytest.raises(gaztag.GazetteerError) as e:
        gaztag.Tagger(gazetteers=[g], builtin=False)
    msg = str(e.value)
    assert f"{g}:3:8: error: " in msg and f"{g}:5:1: error: " in msg, msg


def test_own_gazetteers_and_check(tmp_path):
    g = tmp_path / "firms.toml"
    g.write_text('[[entity]]\nid = "acme"\ntype = "organization"\nname = "Acme Corp"\n', encoding="utf-8")
    t = gaztag.Tagger(gazetteers=str(g), builtin=False)
    info = t.check()
    assert info["entities"] == 1 and info["files"][0]["domain"] == "firms"
    assert [m.entity_id for m in t.tag("Acme Corp and Pakistan").mentions] == ["acme"]


def test_tag_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"url": ["u1", "u2", "u3"], "body": ["Kenya and Chad.", None, "The IMF met Pakistan."]})
    m, t, d = gaztag.Tagger(threads=2).tag_frame(df, text="body", id="url")
    assert list(m.columns) == list(gaztag.COLUMNS["mentions"])
    assert list(t.columns) == list(gaztag.COLUMNS["topics"])
    assert list(d.columns) == list(gaztag.COLUMNS["documents"])
    assert list(d["doc_id"]) == ["u1", "u2", "u3"]
    assert list(d["status"]) == ["ok", "error", "ok"]
    assert str(m["start"].dtype) == "Int64" and str(m["inside_name"].dtype) == "bool"
    assert list(m["entity_id"]) == ["KEN", "TCD", "org:imf", "PAK"]
    assert pd.isna(d.loc[1, "chars"])


def test_tag_frame_without_pandas_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        gaztag.Tagger().tag_frame(object())


def test_places_inside_known_names_with_their_enclosing_span():
    text = "The United States Navy said."
    plain = gaztag.Tagger().tag(text).mentions
    assert [(m.entity_id, m.inside_name, m.enclosing_start) for m in plain] == [("org:us-navy", False, None)]
    nested = gaztag.Tagger(keep_inside_names=True).tag(text).mentions
    assert [(m.text, m.entity_id, m.inside_name, m.enclosing_start, m.enclosing_end) for m in nested] == [
        ("United States Navy", "org:us-navy", False, None, None),
        ("United States", "USA", True, 4, 22),
    ]
    assert text[nested[1].enclosing_start:nested[1].enclosing_end] == "United States Navy"
