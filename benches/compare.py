#!/usr/bin/env python3
"""Compare clausier with ripgrep, textlint and proselint on one corpus.

Generates (once) a seeded corpus with `cargo run --example corpus`, installs
the peers (textlint and textlint-rule-prh from npm, proselint from PyPI)
under target/bench-peers, then runs the tools in turn, round after round,
and prints wall time, MB/s, peak memory and the ratios:

- clausier check --format json, the full built-in packs, on the Markdown,
  DOCX and PDF copies of the corpus;
- ripgrep (Debian's `rg`) with the patterns of the brand rules, printed by
  `cargo run --example patterns`: the lower bound for scanning the text;
- textlint with a prh rule set made of the same patterns;
- proselint, with its own checks (it takes no patterns).

Usage: python3 benches/compare.py [--size 20M] [--rounds 3] [--memory 1G]

--memory SIZE also generates a Markdown corpus of SIZE and reports
clausier's peak memory on it. Speeds are MB/s of Markdown (or of the file
bytes for DOCX and PDF), medians of the rounds; textlint and proselint run
once each (they are two orders of magnitude slower).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
PEERS = TARGET / "bench-peers"
BRAND_RULES = ["brand-without-equivalent", "brand-name-without-or-equal"]


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def measure(args, cwd=None):
    """Runs `args`, output discarded; (seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # 1 is "found something" for every tool here; more is a failure.
    if code not in (0, 1):
        sys.exit(f"{args[0]} failed (exit {code}): {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024, code


def build():
    sh("cargo", "build", "--release", "--quiet", "--bin", "clausier", "--example", "corpus", "--example", "patterns", cwd=ROOT)
    return TARGET / "release" / "clausier", TARGET / "release" / "examples"


def corpus(examples, size, formats):
    out = TARGET / f"bench-corpus-{size}"
    if not (out / "manifest.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        sh(str(examples / "corpus"), str(out), "--size", size, "--formats", formats)
    return out, json.loads((out / "manifest.json").read_text())


def install_ripgrep():
    if shutil.which("rg") is None:
        sh("apt-get", "install", "-y", "-qq", "ripgrep")


def install_peers():
    PEERS.mkdir(parents=True, exist_ok=True)
    textlint = PEERS / "node_modules" / ".bin" / "textlint"
    if not textlint.exists():
        (PEERS / "package.json").write_text('{"private": true}\n')
        sh("npm", "install", "--prefix", str(PEERS), "--no-audit", "--no-fund", "textlint@15", "textlint-rule-prh@6")
    proselint = PEERS / "venv" / "bin" / "proselint"
    if not proselint.exists():
        sh(sys.executable, "-m", "venv", str(PEERS / "venv"))
        sh(str(PEERS / "venv" / "bin" / "pip"), "install", "--quiet", "proselint==0.16.0")
    return textlint, proselint


def patterns(examples):
    out = subprocess.run([str(examples / "patterns"), *BRAND_RULES], check=True, capture_output=True, text=True)
    return sorted(set(line for line in out.stdout.splitlines() if line))


def prh(regexes, folder):
    """A textlint configuration whose prh rules are the brand patterns."""
    lines = ["version: 1", "rules:"]
    for r in regexes:
        flags = "i" if r.startswith("(?i:") else ""
        body = r[4:-1] if r.startswith(("(?i:", "(?:")) else r
        lines += ["  - expected: $& ou équivalent", f"    pattern: /\\b{body}\\b/{flags}"]
    (folder / "prh.yml").write_text("\n".join(lines) + "\n")
    (folder / ".textlintrc.json").write_text('{"rules": {"prh": {"rulePaths": ["prh.yml"]}}}\n')


def files(folder, ext):
    return sorted(str(p) for p in folder.rglob(f"*.{ext}"))


def count_findings(clausier, folder):
    out = subprocess.run([str(clausier), "check", "--format", "json", str(folder)], capture_output=True, text=True)
    found = {}
    for d in json.loads(out.stdout)["diagnostics"]:
        found[d["rule"]] = found.get(d["rule"], 0) + 1
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="20M")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--memory", help="also report clausier's peak memory on a Markdown corpus of this size")
    ap.add_argument("--no-peers", action="store_true", help="only clausier and ripgrep")
    args = ap.parse_args()

    install_ripgrep()
    clausier, examples = build()
    folder, manifest = corpus(examples, args.size, "md,docx,pdf")
    md = folder / "md"
    md_bytes = manifest["bytes"]["md"]

    # The counts the generator planted, found in each format.
    for fmt in ["md", "docx", "pdf"]:
        found = count_findings(clausier, folder / fmt)
        for rule, n in manifest["expected"].items():
            status = "ok" if found.get(rule, 0) == n else "MISMATCH"
            print(f"{fmt:5} {rule:30} expected {n:6}  found {found.get(rule, 0):6}  {status}")

    work = PEERS / "work"
    work.mkdir(parents=True, exist_ok=True)
    regexes = patterns(examples)
    (work / "patterns.txt").write_text("\n".join(regexes) + "\n")
    tools = {
        "clausier (Markdown)": ([str(clausier), "check", "--format", "json", str(md)], md_bytes),
        "ripgrep, same patterns": (["rg", "--count-matches", "-w", "-f", str(work / "patterns.txt"), str(md)], md_bytes),
        "clausier (DOCX)": ([str(clausier), "check", "--format", "json", str(folder / "docx")], manifest["bytes"]["docx"]),
        "clausier (PDF)": ([str(clausier), "check", "--format", "json", str(folder / "pdf")], manifest["bytes"]["pdf"]),
    }
    slow = {}
    if not args.no_peers:
        textlint, proselint = install_peers()
        prh(regexes, work)
        slow["textlint + prh, same patterns"] = ([str(textlint), "--format", "compact", *files(md, "md")], md_bytes)
        slow["proselint (its own checks)"] = ([str(proselint), "check", str(md)], md_bytes)

    runs = {name: [] for name in [*tools, *slow]}
    for r in range(args.rounds):
        for name, (cmd, _) in tools.items():
            runs[name].append(measure(cmd, cwd=work))
        if r == 0:
            for name, (cmd, _) in slow.items():
                runs[name].append(measure(cmd, cwd=work))

    empty = work / "empty.md"
    empty.write_text("")
    startup = statistics.median(measure([str(clausier), "check", "--format", "json", str(empty)])[0] for _ in range(21))

    base = statistics.median(t for t, _, _ in runs["clausier (Markdown)"])
    print()
    print(f"corpus: {manifest['documents']} documents, {md_bytes / 1e6:.0f} MB of Markdown (seed {manifest['seed']}); "
          f"{os.cpu_count()} cores; {args.rounds} rounds, medians")
    print()
    print("| tool | wall (s) | MB/s | peak memory (MiB) | time / clausier Markdown |")
    print("|---|---:|---:|---:|---:|")
    for name, measured in runs.items():
        size = {**tools, **slow}[name][1]
        wall = statistics.median(t for t, _, _ in measured)
        peak = max(m for _, m, _ in measured)
        print(f"| {name} | {wall:.2f} | {size / 1e6 / wall:.1f} | {peak:.0f} | {wall / base:.2f} |")
    print()
    print(f"clausier start-up (check of an empty file, median of 21): {startup * 1000:.1f} ms")

    if args.memory:
        big, big_manifest = corpus(examples, args.memory, "md")
        wall, peak, _ = measure([str(clausier), "check", "--format", "json", str(big / "md")])
        size = big_manifest["bytes"]["md"]
        print(f"clausier on {size / 1e9:.2f} GB of Markdown: {wall:.1f} s, {size / 1e6 / wall:.1f} MB/s, peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
