#!/usr/bin/env bash
# Compares `gaztag tag` with a bare Aho-Corasick scan (aho-corasick and
# daachorse), ripgrep, pyahocorasick and FlashText on generated data, and
# prints a Markdown report (the one kept in benches/RESULTS.md):
#
#   benches/compare.sh > benches/RESULTS.md
#
# Needs the Rust toolchain and Python 3. Optional: ripgrep (`rg` on PATH or
# in ~/.cargo/bin; `cargo install ripgrep` for a current one), GNU time at
# /usr/bin/time (peak memory), hyperfine (start-up), and the PyPI packages
# flashtext and pyahocorasick, installed into a virtualenv in
# ~/.cache/gaztag-bench on first use (skipped when that fails).
#
# Settings (environment):
#   DATA=/tmp/gaztag-bench  where the generated data goes (not the repo)
#   SIZES=1k,20k,200k,1m    gazetteer sizes, in names
#   CORPUS_MB=100           size of corpus.jsonl
#   LONG_MB=64              size of long.txt (one document)
#   MEM_MB=1000             a corpus this large is tagged once for peak
#                           memory (0 skips it)
#   RUNS=3                  runs per timing (the best is kept)
#   TIMEOUT=600             seconds before a command is given up
#   PYTHON_MAX=200k         largest size given to the Python tools
#   LOAD_LIMIT=30           if loading the one-file gazetteer takes longer
#                           (seconds), gaztag reads the same entities from
#                           a folder of small files instead (noted in the
#                           report)
#   QUICK=1                 small and fast: SIZES=1k,20k CORPUS_MB=10
#                           LONG_MB=8 MEM_MB=0 RUNS=1
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

if [[ "${QUICK:-}" == 1 ]]; then
    : "${SIZES:=1k,20k}" "${CORPUS_MB:=10}" "${LONG_MB:=8}" "${MEM_MB:=0}"
    : "${RUNS:=1}"
fi
DATA=${DATA:-/tmp/gaztag-bench}
SIZES=${SIZES:-1k,20k,200k,1m}
CORPUS_MB=${CORPUS_MB:-100}
LONG_MB=${LONG_MB:-64}
MEM_MB=${MEM_MB:-1000}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-600}
PYTHON_MAX=${PYTHON_MAX:-200k}
LOAD_LIMIT=${LOAD_LIMIT:-30}
target=${CARGO_TARGET_DIR:-$repo/target}

say() { echo "compare: $*" >&2; }

say "building gaztag and the bench helpers (release)"
cargo build --release --quiet --bin gaztag >&2
(cd benches/raw && CARGO_TARGET_DIR="$target/bench-raw" \
    cargo build --release --quiet >&2)
gaztag=$target/release/gaztag
raw=$target/bench-raw/release

# Generated data, reused while the settings are unchanged.
stamp="sizes=$SIZES corpus=$CORPUS_MB long=$LONG_MB $(sha1sum benches/support/datagen.rs benches/raw/src/bin/datagen.rs | cut -c1-12 | tr '\n' ' ')"
if [[ ! -f "$DATA/stamp" || "$(cat "$DATA/stamp")" != "$stamp" ]]; then
    say "generating data in $DATA"
    rm -rf "$DATA"
    # Four long documents make up 16% of corpus.jsonl.
    "$raw/datagen" --out "$DATA" --sizes "$SIZES" --corpus-mb "$CORPUS_MB" \
        --long-docs 4 --long-mb "$(python3 -c "print($CORPUS_MB / 25)")" \
        --single-mb "$LONG_MB" >&2
    echo "$stamp" > "$DATA/stamp"
fi
mem_args=()
if [[ "$MEM_MB" != 0 ]]; then
    mem=$DATA/mem-$MEM_MB
    if [[ ! -f "$mem/meta.json" ]]; then
        say "generating a $MEM_MB MB corpus in $mem"
        "$raw/datagen" --out "$mem" --sizes "" --corpus-mb "$MEM_MB" \
            --single-mb 0 --folder-mb 0 >&2
    fi
    mem_args=(--mem-data "$mem")
fi

rg=$(command -v rg || true)
[[ -x "$HOME/.cargo/bin/rg" ]] && rg=$HOME/.cargo/bin/rg
[[ -n "$rg" ]] || say "ripgrep not found: its rows stay empty"

venv=${VENV:-$HOME/.cache/gaztag-bench/venv}
python=""
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import flashtext, ahocorasick' 2>/dev/null; then
    python=$venv/bin/python
elif python3 -m venv "$venv" >&2 &&
    "$venv/bin/pip" install --quiet flashtext pyahocorasick >&2; then
    python=$venv/bin/python
else
    say "could not install flashtext and pyahocorasick: their rows stay empty"
fi

cmd="benches/compare.sh"
for v in SIZES CORPUS_MB LONG_MB MEM_MB RUNS; do
    case "$v:${!v}" in
        SIZES:1k,20k,200k,1m | CORPUS_MB:100 | LONG_MB:64 | MEM_MB:1000 | RUNS:3) ;;
        *) cmd="$v=${!v} $cmd" ;;
    esac
done

exec python3 benches/compare.py --gaztag "$gaztag" --scan "$raw/scan" \
    --data "$DATA" --sizes "$SIZES" --runs "$RUNS" --timeout "$TIMEOUT" \
    --rg "$rg" --python "$python" --python-max "$PYTHON_MAX" \
    --load-limit "$LOAD_LIMIT" --command "$cmd" --repo "$repo" "${mem_args[@]}"
