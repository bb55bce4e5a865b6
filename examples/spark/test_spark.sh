#!/usr/bin/env bash
# Runs examples/spark/tag_corpus.py on Spark in local[2] mode, through both
# the SQL TRANSFORM and the RDD.pipe variants, on a generated corpus of
# 10,000 JSONL documents, and checks that the union of the part files
# equals a single-machine `gaztag tag --out-dir` run, row for row.
#
#   examples/spark/test_spark.sh [GAZTAG_BINARY]
#
# Skips (exit 0) without java. pyspark is installed once into a virtual
# environment under ${XDG_CACHE_HOME:-~/.cache}/gaztag-spark-venv.
# Exits non-zero on any difference.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PYSPARK_VERSION=3.5.8
DOCS=10000

if ! command -v java >/dev/null 2>&1; then
    echo "test_spark.sh: java not found; skipping the Spark test"
    exit 0
fi

gaztag="${1:-}"
if [ -z "$gaztag" ]; then
    echo "== cargo build --release"
    (cd "$root" && cargo build --release --quiet)
    gaztag="${CARGO_TARGET_DIR:-$root/target}/release/gaztag"
fi
gaztag="$(cd "$(dirname "$gaztag")" && pwd)/$(basename "$gaztag")"

venv="${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-spark-venv"
py="$venv/bin/python"
if ! "$py" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    echo "== installing pyspark $PYSPARK_VERSION into $venv"
    start=$SECONDS
    python3 -m venv "$venv"
    "$py" -m pip install --quiet --disable-pip-version-check \
        "pyspark==$PYSPARK_VERSION"
    echo "   installed in $((SECONDS - start)) s"
fi

work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
# Spark's leftovers (metastore_db/, derby.log, spark-warehouse/) land in the
# working directory: use the scratch folder.
cd "$work"

export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="$py"
unset SPARK_HOME PYSPARK_DRIVER_PYTHON
conf=(
    --master "local[2]"
    --conf spark.driver.bindAddress=127.0.0.1
    --conf spark.driver.host=127.0.0.1
    --conf spark.ui.enabled=false
    --conf spark.sql.shuffle.partitions=4
    # Four input splits of the ~5 MB corpus, so both cores get work.
    --conf spark.sql.files.maxPartitionBytes=1500000
    --conf "spark.sql.warehouse.dir=$work/spark-warehouse"
    --conf "spark.driver.extraJavaOptions=-Dderby.system.home=$work"
)

# Seconds since $1 (from date +%s%N), with milliseconds.
elapsed() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

echo "== corpus of $DOCS documents"
"$py" "$here/gen_corpus.py" "$DOCS" corpus.jsonl

echo "== single process: gaztag tag --out-dir"
start=$(date +%s%N)
"$gaztag" tag corpus.jsonl --out-dir ref -j 1 -q || [ $? -eq 1 ]
echo "   $(elapsed "$start") s"

status=0
for api in sql rdd; do
    echo "== Spark local[2], --api $api"
    start=$(date +%s%N)
    "$py" "$here/tag_corpus.py" corpus.jsonl "out-$api" --api "$api" \
        --gaztag "$gaztag" "${conf[@]}" 2> "spark-$api.log" || {
        tail -50 "spark-$api.log"
        exit 1
    }
    echo "   $(elapsed "$start") s"
    "$py" "$here/compare_tables.py" "out-$api" ref || status=1
done

cd "$root"
rm -rf "$work/metastore_db" "$work/derby.log" "$work/spark-warehouse"
if [ $status -ne 0 ]; then
    echo "test_spark.sh: Spark output differs from the single-process run"
fi
exit $status
