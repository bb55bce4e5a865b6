"""gaztag: named-entity and topic tagging from TOML gazetteers.

    import gaztag
    t = gaztag.Tagger()                      # the built-in gazetteers
    doc = t.tag("Pakistan's envoy met the IMF in Washington.")
    for m in doc.mentions:
        print(m.start, m.end, m.text, m.entity_id)

Results are the rows of `gaztag tag` (mentions.csv, topics.csv,
documents.csv) with the same columns, row for row; `start`/`end` are
character offsets into the Python string (`text[m.start:m.end] == m.text`).
Cells are never formula-neutralised: these are values for programs.
"""

from __future__ import annotations

import itertools
import os
from typing import Any, Iterable, Iterator, NamedTuple, Optional, Sequence, Tuple, Union

from . import _gaztag
from ._gaztag import GazetteerError

__all__ = [
    "Tagger",
    "Tagged",
    "Mention",
    "TopicLabel",
    "DocumentRecord",
    "GazetteerError",
    "COLUMNS",
]

#: The columns of each table, as the library defines them.
COLUMNS = {k: tuple(v) for k, v in _gaztag.columns().items()}


class _Row:
    """A row of one of the tables: its columns are attributes."""

    __slots__ = ()
    _columns: Tuple[str, ...] = ()

    def __init__(self, row: dict) -> None:
        for c in self._columns:
            object.__setattr__(self, c, row.get(c))

    def as_dict(self) -> dict:
        """The row as a dict, columns in table order."""
        return {c: getattr(self, c) for c in self._columns}

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        cells = ", ".join(f"{c}={getattr(self, c)!r}" for c in self._columns)
        return f"{type(self).__name__}({cells})"


def _row_class(name: str, table: str, doc: str) -> type:
    cols = COLUMNS[table]
    return type(name, (_Row,), {"__slots__": cols, "_columns": cols, "__doc__": doc})


Mention = _row_class("Mention", "mentions", "A row of mentions.csv: one entity mention.")
TopicLabel = _row_class("TopicLabel", "topics", "A row of topics.csv: one topic label with its evidence.")
DocumentRecord = _row_class("DocumentRecord", "documents", "The row of documents.csv: status, counts, entities, topics.")


class Tagged(NamedTuple):
    """What tagging one document gives: its rows of the three tables."""

    mentions: list
    topics: list
    document: Any


Doc = Union[str, Tuple[Any, Any]]


class Tagger:
    """A compiled set of gazetteers; tag one text, many, or a DataFrame column.

    Options have the names and defaults of `gaztag tag`:

    - gazetteers: gazetteer files or folders to add (`-g`).
    - builtin: include the built-in gazetteers (default True; `--no-builtin`).
    - threads: worker threads for tag_many/tag_frame (0: one per core; `-j`).
      Results do not depend on it.
    - overlapping, keep_inside_names, no_resolve: as the CLI flags.

    Raises GazetteerError listing every problem (file:line:col) when a
    gazetteer is invalid.
    """

    def __init__(
        self,
        gazetteers: Sequence[Union[str, "os.PathLike[str]"]] = (),
        builtin: bool = True,
        threads: int = 0,
        overlapping: bool = False,
        keep_inside_names: bool = False,
        no_resolve: bool = False,
    ) -> None:
        if isinstance(gazetteers, (str, os.PathLike)):
            gazetteers = [gazetteers]
        self._native = _gaztag.NativeTagger(
            [os.fspath(g) for g in gazetteers],
            bool(builtin),
            int(threads),
            bool(overlapping),
            bool(keep_inside_names),
            bool(no_resolve),
        )

    def check(self) -> dict:
        """What was loaded: files (path, domain, entities, names, topics),
        entity and topic counts, and the warnings of your own files."""
        return self._native.check()

    @staticmethod
    def _wrap(rows: tuple) -> Tagged:
        mentions, topics, document = rows
        return Tagged(
            [Mention(m) for m in mentions],
            [TopicLabel(t) for t in topics],
            DocumentRecord(document),
        )

    def tag(self, text: str, id: Optional[str] = None) -> Tagged:
        """Tags one text. `id` is its doc_id (default `<python>`)."""
        return self._wrap(self._native.tag_batch([(str(id) if id is not None else "<python>", text)])[0])

    def tag_many(self, docs: Iterable[Doc], batch_size: int = 1024) -> Iterator[Tagged]:
        """Tags texts (or `(id, text)` pairs) in parallel, in batches so that
        memory stays bounded; yields one Tagged per document, in input order.
        A text that is not a str yields its `error` row, and the run goes on.
        Ids default to the position in the input (`0`, `1`, ...)."""
        for rows in self._raw(docs, batch_size):
            yield self._wrap(rows)

    def _raw(self, docs: Iterable[Doc], batch_size: int) -> Iterator[tuple]:
        """The rows of each document as dicts, in input order."""
        counter = itertools.count()
        it = iter(docs)
        while True:
            batch = []
            for d in itertools.islice(it, max(1, int(batch_size))):
                n = next(counter)
                if isinstance(d, tuple) and len(d) == 2:
                    batch.append((str(d[0]), d[1]))
                else:
                    batch.append((str(n), d))
            if not batch:
                return
            yield from self._native.tag_batch(batch)

    def tag_frame(self, df: Any, text: str = "text", id: Optional[str] = None, batch_size: int = 1024):
        """Tags a pandas DataFrame column; returns three DataFrames
        (mentions, topics, documents) with exactly the CSV columns. `id`
        names the column of document ids (default: the row index)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - exercised without pandas
            raise ImportError("Tagger.tag_frame needs pandas: pip install pandas") from e
        ids = [str(i) for i in (df[id] if id is not None else df.index)]
        texts = list(df[text])
        parts = {"mentions": [], "topics": [], "documents": []}
        step = max(1, int(batch_size))
        for at in range(0, len(texts), step):
            batch = list(zip(ids[at:at + step], texts[at:at + step]))
            for name, cols in zip(parts, self._native.tag_columns(batch)):
                parts[name].append(cols)
        return tuple(_frame(pd, parts[t], t) for t in ("mentions", "topics", "documents"))


_INTS = {"start", "end", "byte_start", "byte_end", "rank", "chars", "mentions", "entities", "topics", "words", "bytes"}


def _frame(pd: Any, batches: list, table: str):
    cols = list(COLUMNS[table])
    data = {c: [v for b in batches for v in b[c]] for c in cols}
    df = pd.DataFrame(data, columns=cols)
    for c in cols:
        if c in _INTS:
            # Failed documents have no counts: nullable integers.
            df[c] = df[c].astype("Int64")
        elif c == "score":
            df[c] = df[c].astype("float64")
        elif c == "inside_name":
            df[c] = df[c].astype("bool")
        else:
            df[c] = df[c].astype("object")
    return df
