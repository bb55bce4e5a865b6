"""Runs the comparison behind benches/compare.sh and prints a Markdown report.

Called by compare.sh with the paths of the built programs; uses only the
standard library. Every timing is wall clock, best of RUNS; peak memory
comes from GNU time (`/usr/bin/time`). Progress goes to standard error.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def log(msg: str) -> None:
    print(f"compare: {msg}", file=sys.stderr, flush=True)


class Run:
    """The outcome of one command: best wall time, peak RSS, outputs."""

    def __init__(self, wall=None, rss_mb=None, stdout="", stderr="", error=None):
        self.wall = wall
        self.rss_mb = rss_mb
        self.stdout = stdout
        self.stderr = stderr
        self.error = error


def run(cmd, runs=1, timeout=600, stdout_path=None, cwd=None) -> Run:
    """Runs `cmd` `runs` times; keeps the fastest run's outputs."""
    gnu_time = Path("/usr/bin/time")
    best = None
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            full = list(map(str, cmd))
            if gnu_time.exists():
                full = [str(gnu_time), "-f", "%M", "-o", tf.name] + full
            out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
            started = time.perf_counter()
            # A session of its own, so that a time-out ends the program
            # itself and not only GNU time.
            p = subprocess.Popen(
                full, stdout=out, stderr=subprocess.PIPE, cwd=cwd, start_new_session=True
            )
            try:
                raw_out, raw_err = p.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
                return Run(error=f"timeout > {timeout} s")
            finally:
                if stdout_path:
                    out.close()
            wall = time.perf_counter() - started
            stdout = "" if stdout_path else raw_out.decode("utf-8", "replace")
            stderr = raw_err.decode("utf-8", "replace")
            if p.returncode != 0:
                return Run(
                    error=f"exit {p.returncode}: {stderr.strip()[-300:]}",
                    stdout=stdout,
                    stderr=stderr,
                )
            rss = None
            try:
                rss = int(tf.read().strip().splitlines()[-1]) / 1024
            except (ValueError, IndexError):
                pass
            if best is None or wall < best.wall:
                best = Run(wall, rss, stdout, stderr)
    return best


def size_label(s: str) -> str:
    return s.upper() if s.endswith("m") else s


def fmt(x, digits=0, suffix=""):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    return f"{x:,.{digits}f}{suffix}"


def ratio(a, b):
    if a is None or b is None or isinstance(a, str) or isinstance(b, str) or b == 0:
        return None
    return a / b


def version(cmd) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not available"


def lock_version(lock: Path, name: str) -> str:
    try:
        text = lock.read_text()
    except OSError:
        return "?"
    m = re.search(rf'name = "{re.escape(name)}"\nversion = "([^"]+)"', text)
    return m.group(1) if m else "?"


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


SUMMARY = re.compile(
    r"gaztag: (\d+) documents \((\d+) failed\), (\d+) mentions, ([\d.]+) MB in ([\d.]+) s"
)
BUILT = re.compile(r"automaton of (\d+) patterns \(([\d.]+) MiB\) built in (\d+) ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaztag", required=True)
    ap.add_argument("--scan", required=True)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--sizes", default="1k,20k,200k,1m")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--rg", default="")
    ap.add_argument("--python", default="", help="Python with flashtext and pyahocorasick")
    ap.add_argument("--python-max", default="200k", help="largest size for the Python tools")
    ap.add_argument("--raw-dfa-max", default="200k", help="largest size for the DFA")
    ap.add_argument("--load-limit", type=float, default=30.0)
    ap.add_argument("--big", default="200k", help="larger sizes get one run each")
    ap.add_argument("--mem-data", type=Path, default=None)
    ap.add_argument("--command", default="benches/compare.sh")
    ap.add_argument("--repo", type=Path, default=Path("."))
    a = ap.parse_args()

    data = a.data
    meta = json.loads((data / "meta.json").read_text())
    corpus = data / "corpus.jsonl"
    mb = meta["corpus_bytes"] / 1e6
    sizes = [s for s in a.sizes.split(",") if s]
    nthreads = os.cpu_count() or 1
    out_dir = data / "out"
    out_dir.mkdir(exist_ok=True)
    here = Path(__file__).resolve().parent

    def n_of(label: str) -> int:
        m = {"k": 1_000, "m": 1_000_000}
        return int(label[:-1]) * m[label[-1]] if label[-1] in m else int(label)

    res = {s: {} for s in sizes}
    load_before = os.getloadavg()

    for s in sizes:
        r = res[s]
        aliases = data / f"aliases-{s}.txt"
        gaz_file = data / f"gaz-{s}.toml"
        gaz_dir = data / f"gaz-{s}.d"
        log(f"--- {s} aliases")
        # Beyond --big, one run each and no folder-input row.
        big = n_of(s) > n_of(a.big)
        runs = 1 if big else a.runs

        # gaztag check: load + build from the single file, then the folder.
        log("gaztag check (one file)")
        c = run(
            [a.gaztag, "check", "--no-builtin", "-g", gaz_file],
            timeout=max(1, int(a.load_limit)),
        )
        r["check_file"] = c
        gaz = gaz_file
        if c.error or c.wall > a.load_limit:
            gaz = gaz_dir
            log(f"gaztag check (folder of {len(list(gaz_dir.iterdir()))} files)")
            c = run([a.gaztag, "check", "--no-builtin", "-g", gaz_dir], timeout=a.timeout)
        r["gaz_form"] = "file" if gaz == gaz_file else "folder"
        r["check"] = c
        m = BUILT.search(c.stdout or "")
        if m:
            r["patterns"], r["automaton_mib"], r["build_ms"] = (
                int(m.group(1)),
                float(m.group(2)),
                int(m.group(3)),
            )

        # Raw scans.
        engines = ["ac-cnfa", "daac-byte", "daac-char"]
        if n_of(s) <= n_of(a.raw_dfa_max):
            engines.insert(0, "ac-dfa")
        for e in engines:
            log(f"raw {e}")
            x = run([a.scan, e, aliases, corpus, a.runs], timeout=a.timeout)
            if x.error:
                r[e] = {"error": x.error}
                continue
            j = json.loads(x.stdout.strip().splitlines()[-1])
            j["rss_mb"] = x.rss_mb
            r[e] = j

        # gaztag end to end.
        configs = [
            ("gaztag-j1", ["-j1"], [corpus]),
            ("gaztag-jall", [f"-j{nthreads}"], [corpus]),
            ("gaztag-folder-j1", ["-j1"], [data / "docs"]),
            ("gaztag-j1-noresolve", ["-j1", "--no-resolve"], [corpus]),
        ]
        if big:
            configs = configs[:2]
        if not c.error:
            for name, extra, inputs in configs:
                log(name)
                x = run(
                    [a.gaztag, "tag", "--no-builtin", "-g", gaz, *extra,
                     "--out-dir", out_dir / name, *inputs],
                    runs=runs,
                    timeout=a.timeout,
                )
                r[name] = x
                m = SUMMARY.search(x.stderr or "") if not x.error else None
                if m:
                    x.mentions = int(m.group(3))
                    x.mb = float(m.group(4))
                    x.phase = float(m.group(5))
        else:
            log(f"gaztag check failed: {c.error}")

        # ripgrep.
        if a.rg:
            log("rg")
            x = run(
                [a.rg, "-F", "-w", "-o", "--regex-size-limit", "4G",
                 "--dfa-size-limit", "4G", "-f", aliases, corpus],
                runs=runs,
                timeout=a.timeout,
                stdout_path=out_dir / "rg.txt",
            )
            if not x.error:
                with open(out_dir / "rg.txt", "rb") as f:
                    x.mentions = sum(1 for _ in f)
            r["rg"] = x

        # Python tools.
        if a.python and n_of(s) <= n_of(a.python_max):
            for e in ["pyahocorasick", "flashtext"]:
                log(e)
                x = run(
                    [a.python, here / "pyscan.py", e, aliases, corpus, a.runs],
                    timeout=a.timeout * 3,
                )
                if x.error:
                    r[e] = {"error": x.error}
                    continue
                j = json.loads(x.stdout.strip().splitlines()[-1])
                j["rss_mb"] = x.rss_mb
                r[e] = j

    # Scaling on one long document and memory on a large corpus.
    extra = {}
    mid = "20k" if "20k" in sizes else sizes[0]
    gaz_mid = data / (f"gaz-{mid}.toml" if res[mid].get("gaz_form") == "file" else f"gaz-{mid}.d")
    long_txt = data / "long.txt"
    if long_txt.exists():
        for j in [1, 2]:
            log(f"long document -j{j}")
            extra[f"long-j{j}"] = run(
                [a.gaztag, "tag", "--no-builtin", "-g", gaz_mid, f"-j{j}",
                 "--out-dir", out_dir / "long", long_txt],
                runs=a.runs,
                timeout=a.timeout,
            )
    if a.mem_data and (a.mem_data / "corpus.jsonl").exists():
        log("large corpus (memory)")
        extra["mem"] = run(
            [a.gaztag, "tag", "--no-builtin", "-g", gaz_mid, "--out-dir",
             out_dir / "mem", a.mem_data / "corpus.jsonl"],
            timeout=a.timeout * 3,
        )
        extra["mem_bytes"] = json.loads((a.mem_data / "meta.json").read_text())["corpus_bytes"]

    # Start-up: built-in gazetteers, one short document.
    short = data / "short.txt"
    short.write_text(
        "Officials in Islamabad and Washington said the talks would resume on Monday.\n"
    )
    startup_cmd = [a.gaztag, "tag", "-q", "--out-dir", out_dir / "startup", short]
    hyperfine = shutil.which("hyperfine")
    startup = None
    if hyperfine:
        log("start-up (hyperfine)")
        js = out_dir / "startup.json"
        p = subprocess.run(
            [hyperfine, "-N", "--warmup", "5", "--runs", "50", "--export-json", js,
             " ".join(map(str, startup_cmd))],
            capture_output=True,
            text=True,
        )
        if p.returncode == 0:
            rr = json.loads(js.read_text())["results"][0]
            startup = (rr["mean"] * 1000, rr["stddev"] * 1000, rr["min"] * 1000, "hyperfine, 50 runs")
    if startup is None:
        log("start-up (loop of 50)")
        times = []
        for _ in range(50):
            t = time.perf_counter()
            subprocess.run(startup_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t) * 1000)
        startup = (statistics.mean(times), statistics.stdev(times), min(times), "loop of 50 runs")
    builtin_check = run([a.gaztag, "check"], timeout=60)

    load = (load_before, os.getloadavg())
    report(a, meta, mb, sizes, res, extra, startup, builtin_check, nthreads, load)


def report(a, meta, mb, sizes, res, extra, startup, builtin_check, nthreads, load):
    repo = a.repo
    lines = []
    p = lines.append
    cols = [size_label(s) for s in sizes]
    head = "| | " + " | ".join(cols) + " |"
    rule = "|---|" + "---:|" * len(sizes)

    def mbps_of(x):
        if x is None:
            return None
        if isinstance(x, dict):
            return x.get("error") and "failed" or x.get("mbps")
        if x.error:
            return "timeout" if "timeout" in x.error else "failed"
        return mb / x.wall if x.wall else None

    def raw_best(s):
        vals = [res[s].get(e, {}).get("mbps") for e in ["ac-dfa", "ac-cnfa"]]
        vals = [v for v in vals if isinstance(v, (int, float))]
        return max(vals) if vals else None

    def cell(v, base):
        if isinstance(v, str):
            return v
        if v is None:
            return "–"
        r = ratio(v, base)
        return f"{v:,.1f}" + (f" ({r:.2f}×)" if r is not None else "")

    git = subprocess.run(["git", "-C", repo, "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip() or "unknown"
    rg_version = version([a.rg, "--version"]) if a.rg else "not installed"
    py_versions = "not installed"
    if a.python:
        py_versions = subprocess.run(
            [a.python, "-c",
             "import sys, importlib.metadata as m; "
             "print('Python %d.%d.%d' % sys.version_info[:3], "
             "'flashtext', m.version('flashtext'), 'pyahocorasick', m.version('pyahocorasick'))"],
            capture_output=True, text=True,
        ).stdout.strip() or "not installed"

    p("# gaztag benchmark results")
    p("")
    p(f"- Date: {datetime.date.today().isoformat()}")
    p(f"- CPU: {cpu_model()}, {nthreads} logical cores; "
      f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM; {platform.system()} {platform.release()}")
    p(f"- Command: `{a.command}`")
    p(f"- gaztag: {version([a.gaztag, '--version'])} (commit {git}), "
      f"aho-corasick {lock_version(repo / 'Cargo.lock', 'aho-corasick')}; "
      f"{version(['rustc', '--version'])}")
    p(f"- Raw scans: aho-corasick {lock_version(repo / 'benches/raw/Cargo.lock', 'aho-corasick')}, "
      f"daachorse {lock_version(repo / 'benches/raw/Cargo.lock', 'daachorse')}")
    p(f"- Others: {rg_version}; {py_versions}")
    p(f"- Load average (1 min) at the start and end of the run: "
      f"{load[0][0]:.1f}, {load[1][0]:.1f} (other processes share the cores)")
    p(f"- Corpus: `corpus.jsonl`, {meta['corpus_docs']:,} documents, {mb:,.1f} MB of text "
      f"(news-like prose, {meta['corpus_planted']:,} planted names, some Russian and Greek, "
      f"curly quotes in half the documents, a few multi-MB documents); seed {meta['seed']}")
    p("")
    p("MB/s is MB of document text per second, wall clock, best of "
      f"{a.runs} (one run above {size_label(a.big)} aliases). Ratios in "
      "parentheses are to the best bare aho-corasick scan "
      "of the same size. gaztag and ripgrep are whole processes "
      "(start, load, build, read, tag, write output to the same disk); the "
      "raw scans and the Python tools are timed in-process (scan only, "
      "corpus in memory), their build time is listed separately. ripgrep "
      "runs with `--regex-size-limit 4G --dfa-size-limit 4G` (its default "
      "limits refuse 200k aliases) and, given one file, on one thread.")
    p("")
    p("## Throughput (MB/s)")
    p("")
    p(head.replace("| |", "| tool (aliases →) |", 1))
    p(rule)
    rows = [
        ("raw aho-corasick DFA", lambda s: res[s].get("ac-dfa", {}).get("mbps") if "ac-dfa" in res[s] else None),
        ("raw aho-corasick contiguous NFA", lambda s: mbps_of(res[s].get("ac-cnfa"))),
        ("raw daachorse bytewise", lambda s: mbps_of(res[s].get("daac-byte"))),
        ("raw daachorse charwise", lambda s: mbps_of(res[s].get("daac-char"))),
        ("**gaztag tag -j1**", lambda s: mbps_of(res[s].get("gaztag-j1"))),
        ("gaztag tag -j1, tagging phase only", lambda s: res[s]["gaztag-j1"].mb / res[s]["gaztag-j1"].phase),
        (f"**gaztag tag -j{nthreads}**", lambda s: mbps_of(res[s].get("gaztag-jall"))),
        ("gaztag tag -j1, folder of .txt", lambda s: (
            meta["folder_bytes"] / 1e6 / res[s]["gaztag-folder-j1"].wall
            if res[s].get("gaztag-folder-j1") and not res[s]["gaztag-folder-j1"].error
            else mbps_of(res[s].get("gaztag-folder-j1")))),
        ("gaztag tag -j1 --no-resolve", lambda s: mbps_of(res[s].get("gaztag-j1-noresolve"))),
        ("`rg -F -w -o -f aliases.txt`", lambda s: mbps_of(res[s].get("rg"))),
        ("pyahocorasick (+ lower-casing)", lambda s: mbps_of(res[s].get("pyahocorasick"))),
        ("FlashText", lambda s: mbps_of(res[s].get("flashtext"))),
    ]
    for name, f in rows:
        vals = []
        for s in sizes:
            try:
                vals.append(cell(f(s), raw_best(s)))
            except (KeyError, AttributeError, TypeError):
                vals.append("–")
        p(f"| {name} | " + " | ".join(vals) + " |")
    p("")

    p("## Targets")
    p("")
    p("| ratio | " + " | ".join(cols) + " | target |")
    p("|---|" + "---:|" * len(sizes) + "---|")

    def r_row(name, f, target):
        vals = []
        for s in sizes:
            try:
                v = f(s)
            except (KeyError, AttributeError, TypeError, ZeroDivisionError, ValueError):
                v = None
            vals.append(fmt(v, 2, "×") if isinstance(v, float) else "–")
        p(f"| {name} | " + " | ".join(vals) + f" | {target} |")

    def num(x):
        return x if isinstance(x, (int, float)) else None

    r_row("gaztag -j1 / raw aho-corasick", lambda s: ratio(num(mbps_of(res[s]["gaztag-j1"])), raw_best(s)), "≥ 0.6×")
    r_row("gaztag -j1 / rg", lambda s: ratio(num(mbps_of(res[s]["gaztag-j1"])), num(mbps_of(res[s]["rg"]))), "≥ 2×")
    r_row(f"gaztag -j{nthreads} / -j1 (many documents)",
          lambda s: ratio(num(mbps_of(res[s]["gaztag-jall"])), num(mbps_of(res[s]["gaztag-j1"]))), "≥ 1.8× on 2 cores")
    r_row("best daachorse / best aho-corasick (raw)",
          lambda s: ratio(max(v for v in [num(mbps_of(res[s].get("daac-byte"))), num(mbps_of(res[s].get("daac-char")))] if v), raw_best(s)),
          "information")
    r_row("gaztag -j1 / FlashText", lambda s: ratio(num(mbps_of(res[s]["gaztag-j1"])), num(mbps_of(res[s]["flashtext"]))), "information")
    p("")

    p("## Build time and memory")
    p("")
    p(head)
    p(rule)

    def b_row(name, f):
        vals = []
        for s in sizes:
            try:
                v = f(s)
            except (KeyError, AttributeError, TypeError):
                v = None
            vals.append("–" if v is None else v)
        p(f"| {name} | " + " | ".join(vals) + " |")

    def errs(x):
        return x.error.split(":")[0] if x.error else None

    b_row("names in the gazetteer", lambda s: f"{n_names(a.data, s):,}")
    b_row("gaztag patterns (distinct folded terms)", lambda s: f"{res[s]['patterns']:,}")
    b_row("gaztag automaton build (`check`), s", lambda s: f"{res[s]['build_ms'] / 1000:.2f}")
    b_row("gaztag automaton size, MiB", lambda s: f"{res[s]['automaton_mib']:.1f}")
    b_row("gaztag `check`, one TOML file: wall s / peak MB", lambda s: errs(res[s]["check_file"]) or
          f"{res[s]['check_file'].wall:.2f} / {res[s]['check_file'].rss_mb:,.0f}")
    b_row("gaztag `check`, as used below: wall s / peak MB", lambda s:
          f"{res[s]['check'].wall:.2f} / {res[s]['check'].rss_mb:,.0f}" + (
              f" (folder of {len(list((a.data / f'gaz-{s}.d').iterdir())):,} files)" if res[s]["gaz_form"] == "folder" else ""))
    b_row("gaztag tag -j1: peak MB", lambda s: f"{res[s]['gaztag-j1'].rss_mb:,.0f}")
    b_row(f"gaztag tag -j{nthreads}: peak MB", lambda s: f"{res[s]['gaztag-jall'].rss_mb:,.0f}")
    for e, name in [("ac-dfa", "aho-corasick DFA"), ("ac-cnfa", "aho-corasick contiguous NFA"),
                    ("daac-byte", "daachorse bytewise"), ("daac-char", "daachorse charwise")]:
        b_row(f"raw {name}: build s / heap MB", lambda s, e=e: res[s][e].get("error") or
              f"{res[s][e]['build_s']:.2f} / {res[s][e]['heap_bytes'] / 1e6:,.1f}")
    b_row("rg: peak MB", lambda s: errs(res[s]["rg"]) or f"{res[s]['rg'].rss_mb:,.0f}")
    b_row("pyahocorasick: build s / peak MB", lambda s:
          f"{res[s]['pyahocorasick']['build_s']:.2f} / {res[s]['pyahocorasick']['rss_mb']:,.0f}")
    b_row("FlashText: build s / peak MB", lambda s:
          f"{res[s]['flashtext']['build_s']:.2f} / {res[s]['flashtext']['rss_mb']:,.0f}")
    p("")

    p("## Matches found (sanity check)")
    p("")
    p("Each tool counts differently: the raw scans and pyahocorasick count "
      "every overlapping match on word boundaries, case-insensitively; gaztag "
      "reports non-overlapping mentions that pass its case rules; ripgrep "
      "is case-sensitive and leftmost-first; FlashText is case-insensitive and "
      "leftmost-longest.")
    p("")
    p(head)
    p(rule)
    b_row("planted names the gazetteer knows", lambda s: f"{meta['corpus_planted_in'][s]:,}")
    for e, name in [("ac-cnfa", "raw aho-corasick"), ("daac-byte", "raw daachorse"),
                    ("pyahocorasick", "pyahocorasick"), ("flashtext", "FlashText")]:
        b_row(name, lambda s, e=e: f"{res[s][e]['matches']:,}")
    b_row("gaztag mentions", lambda s: f"{res[s]['gaztag-j1'].mentions:,}")
    b_row("rg matches", lambda s: f"{res[s]['rg'].mentions:,}")
    p("")

    p("## Start-up, one long document, a large corpus")
    p("")
    mean, sd, mn, how = startup
    bc = BUILT.search(builtin_check.stdout or "")
    p(f"- Start-up (process start, built-in gazetteers ready, one short document tagged, "
      f"output written): **{mean:.1f} ms** ± {sd:.1f} (min {mn:.1f}; {how}). "
      + (f"Built-in automaton: {bc.group(1)} patterns, built in {bc.group(3)} ms." if bc else ""))
    if "long-j1" in extra and "long-j2" in extra:
        lb = meta.get("long_bytes", 0) / 1e6
        w1, w2 = extra["long-j1"], extra["long-j2"]
        if not (w1.error or w2.error):
            p(f"- One {lb:,.0f} MB document, {mid_label(sizes)} aliases: -j1 {lb / w1.wall:,.1f} MB/s, "
              f"-j2 {lb / w2.wall:,.1f} MB/s (**{w1.wall / w2.wall:.2f}×**; target ≥ 1.8×); "
              f"peak {w1.rss_mb:,.0f} / {w2.rss_mb:,.0f} MB.")
    if "mem" in extra:
        m = extra["mem"]
        big = extra["mem_bytes"] / 1e6
        small = res[mid_label(sizes).lower()].get("gaztag-jall")
        if not m.error:
            p(f"- Memory: {big:,.0f} MB corpus, {mid_label(sizes)} aliases, -j{nthreads}: "
              f"peak RSS **{m.rss_mb:,.0f} MB** ({big / m.wall:,.1f} MB/s), against "
              f"{small.rss_mb:,.0f} MB for the {mb:,.0f} MB corpus.")
        else:
            p(f"- Memory run failed: {m.error}")
    p("")
    print("\n".join(lines))


def mid_label(sizes):
    return size_label("20k" if "20k" in sizes else sizes[0])


def n_names(data: Path, s: str) -> int:
    with open(data / f"aliases-{s}.txt", "rb") as f:
        return sum(1 for _ in f)


if __name__ == "__main__":
    main()
