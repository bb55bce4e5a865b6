"""Tag a corpus on Apache Spark with `gaztag tag --stream` as the mapper.

Reads a JSONL corpus (one {"id": ..., "text": ...} object per line) or a
folder of .txt files, pipes every partition through one gaztag process,
and writes the three gaztag tables as partitioned CSV output:

    OUT/mentions/part-*.csv   OUT/topics/part-*.csv   OUT/documents/part-*.csv

Each part file has a header row; the union of the part files holds the same
rows as `gaztag tag --out-dir` on the same documents (in another order).

Two ways to run the mapper:
  --api sql  Spark SQL: SELECT TRANSFORM(value) USING 'gaztag tag --stream'
  --api rdd  RDD.pipe('gaztag tag --stream', checkCode=True)

Examples:
  spark-submit tag_corpus.py corpus.jsonl out/
  spark-submit --archives gaztag.tar.gz#bin,my-gazetteers.tar.gz#gaz \\
      tag_corpus.py s3a://news/2024/*.jsonl s3a://news-tags/2024/ \\
      --gaztag ./bin/gaztag --gaztag-args "-g gaz"
  spark-submit tag_corpus.py --format txt articles/ out/
"""

import argparse
import csv
import json
import shlex
import subprocess

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

def gaztag_tables(gaztag):
    """The columns of the three tables, asked of gaztag itself (`gaztag
    columns --json`), keyed by the stream row kind: {"m": ("mentions",
    [...]), ...}. Every column is read as a string so that each cell is kept
    exactly as gaztag wrote it (a score of 11.000 stays "11.000"); cast the
    ones you need."""
    out = subprocess.run(
        [gaztag, "columns", "--json"], check=True, capture_output=True,
        text=True,
    ).stdout
    return {
        t["stream_kind"]: (name, t["columns"])
        for name, t in json.loads(out).items()
    }


# RFC 4180 quoting on both sides (Spark's default escape is a backslash),
# and no trimming of cells when writing (Spark trims by default).
READ_CSV = {"escape": '"', "mode": "FAILFAST"}
WRITE_CSV = {
    "header": "true",
    "escape": '"',
    "ignoreLeadingWhiteSpace": "false",
    "ignoreTrailingWhiteSpace": "false",
}


def unescape_col(c):
    """Undoes gaztag's stream escapes (\\\\, \\n, \\r, \\t) in SQL, with no
    Python worker: split at escaped backslashes, replace the other three
    escapes in each piece, and join the pieces with a backslash."""
    pieces = F.split(c, r"\\\\", -1)
    fixed = F.transform(
        pieces,
        lambda x: F.regexp_replace(
            F.regexp_replace(F.regexp_replace(x, r"\\n", "\n"), r"\\r", "\r"),
            r"\\t",
            "\t",
        ),
    )
    return F.array_join(fixed, "\\")


def unescape(s):
    """The same in Python, for the RDD variant."""
    if "\\" not in s:
        return s
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            out.append({"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[s[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_documents(spark, args):
    """A DataFrame with one JSONL document per row in column `value`."""
    if args.format == "txt":
        files = (
            spark.read.format("binaryFile")
            .option("pathGlobFilter", "*.txt")
            .option("recursiveFileLookup", "true")
            .load(args.input)
        )
        return files.select(
            F.to_json(
                F.struct(
                    F.col("path").alias("id"),
                    F.col("content").cast("string").alias("text"),
                )
            ).alias("value")
        )
    lines = spark.read.text(args.input)
    # Blank lines carry no document (gaztag skips them too).
    return lines.where(F.trim("value") != "")


def mapper_command(args):
    return " ".join(
        [args.gaztag, "tag", "--stream", "--quiet", args.gaztag_args]
    ).strip()


def tag_sql(spark, docs, args):
    """Rows of the stream, via Spark SQL's script transformation."""
    cmd = mapper_command(args)
    if "'" in cmd or "\\" in cmd:
        raise SystemExit("the gaztag command must not hold ' or \\")
    docs.createOrReplaceTempView("gaztag_docs")
    # The only output column is the whole line: gaztag's rows hold no tab,
    # the default field separator of TRANSFORM's output.
    return spark.sql(
        f"SELECT TRANSFORM(value) USING '{cmd}' AS (line STRING) "
        "FROM gaztag_docs"
    )


def write_tables_sql(lines, out, tables):
    rows = lines.select(
        F.substring("line", 1, 1).alias("kind"),
        F.expr("substring(line, 3)").alias("csv"),
    ).persist(StorageLevel.DISK_ONLY)  # one gaztag run for three tables
    for kind, (name, cols) in tables.items():
        schema = ", ".join(f"`{c}` STRING" for c in cols)
        table = (
            rows.where(F.col("kind") == kind)
            .select(F.from_csv("csv", schema, READ_CSV).alias("r"))
            .select([unescape_col(F.col("r")[c]).alias(c) for c in cols])
        )
        table.write.mode("overwrite").options(**WRITE_CSV).csv(f"{out}/{name}")
    rows.unpersist()


def write_tables_rdd(spark, docs, args, tables):
    """The RDD variant: RDD.pipe, parsed with Python's csv module."""
    cmd = shlex.split(mapper_command(args))
    # checkCode=True fails the task when gaztag exits non-zero; without it
    # a crash would silently truncate the partition's output.
    lines = docs.rdd.map(lambda r: r.value).pipe(
        " ".join(shlex.quote(a) for a in cmd), checkCode=True
    )
    lines = lines.persist(StorageLevel.DISK_ONLY)

    def parse(line):
        (cells,) = csv.reader([line])
        return cells[0], [unescape(c) for c in cells[1:]]

    parsed = lines.map(parse)
    for kind, (name, cols) in tables.items():
        rdd = parsed.filter(lambda kc, k=kind: kc[0] == k).map(
            lambda kc, n=len(cols): tuple(
                (kc[1] + [None] * n)[:n]
            )
        )
        schema = ", ".join(f"`{c}` STRING" for c in cols)
        df = spark.createDataFrame(rdd, schema)
        df.write.mode("overwrite").options(**WRITE_CSV).csv(
            f"{args.output}/{name}"
        )
    lines.unpersist()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("input", help="JSONL file(s)/folder, or a .txt folder")
    p.add_argument("output", help="output folder (overwritten)")
    p.add_argument("--format", choices=["jsonl", "txt"], default="jsonl")
    p.add_argument("--api", choices=["sql", "rdd"], default="sql")
    p.add_argument(
        "--gaztag", default="gaztag",
        help="the gaztag binary on the executors (default: on PATH)",
    )
    p.add_argument(
        "--gaztag-args", default="",
        help="more `gaztag tag` options, e.g. '-g gaz --no-builtin'",
    )
    p.add_argument(
        "--partitions", type=int, default=0,
        help="repartition the documents first (default: keep input splits)",
    )
    p.add_argument(
        "--gaztag-local",
        help="a gaztag binary on the driver, asked for the table columns "
        "(default: the same as --gaztag)",
    )
    p.add_argument("--master", help="e.g. local[2]; spark-submit sets it")
    p.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE",
        help="Spark setting (repeatable)",
    )
    args = p.parse_args()
    tables = gaztag_tables(args.gaztag_local or args.gaztag)

    builder = SparkSession.builder.appName("gaztag")
    if args.master:
        builder = builder.master(args.master)
    for kv in args.conf:
        k, v = kv.split("=", 1)
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    try:
        docs = read_documents(spark, args)
        if args.partitions:
            docs = docs.repartition(args.partitions)
        if args.api == "sql":
            write_tables_sql(tag_sql(spark, docs, args), args.output, tables)
        else:
            write_tables_rdd(spark, docs, args, tables)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
