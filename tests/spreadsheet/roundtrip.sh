#!/usr/bin/env bash
# Round trip of gaztag's CSV tables through a real spreadsheet: LibreOffice
# Calc (headless) converts them to xlsx, openpyxl reads the cells back, and
# check.py compares them with the CSV. Done with and without --bom.
#
# Installs libreoffice-calc-nogui with apt-get when soffice is missing and
# this runs as root, and openpyxl into a venv under
# ${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-spreadsheet. Exits 0 with a SKIP
# message when either cannot be had.
#
# Usage: tests/spreadsheet/roundtrip.sh   (GAZTAG=path/to/gaztag to skip
# the cargo build)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
skip() {
    echo "roundtrip: SKIP: $*"
    exit 0
}

soffice=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "roundtrip: installing libreoffice-calc-nogui" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt_install() {
            apt-get install -y -qq --no-install-recommends \
                libreoffice-calc-nogui >/dev/null 2>&1
        }
        apt_install || { apt-get update -qq >/dev/null 2>&1 && apt_install; } ||
            true
    fi
    soffice=$(command -v soffice || command -v libreoffice || true)
    [ -n "$soffice" ] || skip "LibreOffice (soffice) not found and not installable"
fi

venv=${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-spreadsheet
if ! "$venv/bin/python" -c 'import openpyxl' 2>/dev/null; then
    python3 -m venv "$venv" >/dev/null 2>&1 ||
        skip "cannot create a Python venv in $venv"
    "$venv/bin/pip" install -q openpyxl >/dev/null 2>&1 ||
        skip "cannot install openpyxl from PyPI"
fi

if [ -z "${GAZTAG:-}" ]; then
    cargo build -q --manifest-path "$root/Cargo.toml"
    GAZTAG=${CARGO_TARGET_DIR:-$root/target}/debug/gaztag
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for variant in plain bom; do
    flags=()
    [ "$variant" = bom ] && flags=(--bom)
    out=$work/$variant
    "$GAZTAG" tag -q --no-builtin -g "$here/gaz.toml" "$here/docs.jsonl" \
        --out-dir "$out/csv" "${flags[@]}"
    # CSV import filter: comma, double quote, UTF-8 (76), from line 1. A
    # private profile, so a running LibreOffice does not interfere.
    "$soffice" -env:UserInstallation="file://$work/profile" --headless \
        --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$out/xlsx" \
        "$out/csv/mentions.csv" "$out/csv/topics.csv" \
        "$out/csv/documents.csv" >/dev/null 2>&1
    echo "roundtrip: $variant:" >&2
    "$venv/bin/python" "$here/check.py" "$out/csv" "$out/xlsx" || status=1
done
[ "$status" = 0 ] && echo "roundtrip: ok"
exit "$status"
