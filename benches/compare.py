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

Then, for PDF, the CPU time of `clausier check` against `pdftotext`
(Debian's poppler-utils) extracting the text alone, on the corpus's PDFs
and on ten copies of the three real AMF PDFs of the shared corpus; and
clausier's peak memory on thirty copies of those (one folder a dossier)
and on a flat folder of 40 MB of Markdown (every document of a generated
corpus in one folder, as a contract repository often keeps them). The
copies of the real PDFs are made in a temporary folder, never in the
project.

Usage: python3 benches/compare.py [--size 20M] [--rounds 3] [--memory 1G]
                                  [--amf DIR]

--memory SIZE also generates a Markdown corpus of SIZE and reports
clausier's peak memory on it. --amf names the folder of the AMF PDFs
(default: ../shared/corpus/real/fr-amf-2022-011 from the project root);
without it, the real-PDF cases are skipped. Speeds are MB/s of Markdown
(or of the file bytes for DOCX and PDF), medians of the rounds; textlint
and proselint run once each (they are two orders of magnitude slower).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
PEERS = TARGET / "bench-peers"
BRAND_RULES = ["brand-without-equivalent", "brand-name-without-or-equal"]


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def measure(args, cwd=None):
    """Runs `args`, output discarded; (seconds, peak RSS in MiB, exit code,
    CPU seconds, user and system, of the process and the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # 1 is "found something" for every tool here; more is a failure.
    if code not in (0, 1):
        sys.exit(f"{args[0]} failed (exit {code}): {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def build():
    sh("cargo", "build", "--release", "--quiet", "--bin", "clausier", "--example", "corpus", "--example", "patterns", cwd=ROOT)
    return TARGET / "release" / "clausier", TARGET / "release" / "examples"


def corpus(examples, size, formats):
    out = TARGET / f"bench-corpus-{size}"
    if not (out / "manifest.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        sh(str(examples / "corpus"), str(out), "--size", size, "--seed", "7", "--formats", formats)
    return out, json.loads((out / "manifest.json").read_text())


def install_ripgrep():
    missing = [p for p, tool in [("ripgrep", "rg"), ("poppler-utils", "pdftotext")] if shutil.which(tool) is None]
    if missing:
        sh("apt-get", "install", "-y", "-qq", *missing)


def pdftotext(paths):
    """One command extracting the text of every file of `paths` in turn."""
    return ["sh", "-c", 'for f; do pdftotext -q "$f" - ; done', "pdftotext", *paths]


def amf_copies(amf, copies, where):
    """`copies` folders under `where`, each holding the AMF PDFs."""
    out = Path(where) / f"amf-{copies}"
    for i in range(copies):
        folder = out / f"dossier-{i + 1:02}"
        folder.mkdir(parents=True, exist_ok=True)
        for pdf in sorted(Path(amf).glob("*.pdf")):
            shutil.copyfile(pdf, folder / pdf.name)
    return out


def flat(folder, out):
    """Every Markdown document under `folder`, in the one folder `out`."""
    if not out.exists():
        out.mkdir(parents=True)
        for p in sorted(folder.rglob("*.md")):
            shutil.copyfile(p, out / "_".join(p.relative_to(folder).parts))
    return out


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
    ap.add_argument("--amf", default=str(ROOT.parent / "shared" / "corpus" / "real" / "fr-amf-2022-011"),
                    help="folder of the real AMF PDFs")
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
    three = work / "three-lines.md"
    three.write_text("# CCTP\n\nLe titulaire livre les documents au format ODF.\n")
    startup_cpu = statistics.median(measure([str(clausier), "check", "--format", "json", str(three)])[3] for _ in range(10))

    base = statistics.median(m[0] for m in runs["clausier (Markdown)"])
    print()
    print(f"corpus: {manifest['documents']} documents, {md_bytes / 1e6:.0f} MB of Markdown (seed {manifest['seed']}); "
          f"{os.cpu_count()} cores; {args.rounds} rounds, medians")
    print()
    print("| tool | wall (s) | CPU (s) | MB/s | peak memory (MiB) | time / clausier Markdown |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, measured in runs.items():
        size = {**tools, **slow}[name][1]
        wall = statistics.median(m[0] for m in measured)
        cpu = statistics.median(m[3] for m in measured)
        peak = max(m[1] for m in measured)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {size / 1e6 / wall:.1f} | {peak:.0f} | {wall / base:.2f} |")
    print()
    print(f"clausier start-up (check of an empty file, median of 21): {startup * 1000:.1f} ms wall")
    print(f"clausier on a three-line file (median of 10): {startup_cpu * 1000:.1f} ms CPU")

    # PDF: clausier's CPU against pdftotext extracting the text alone.
    cases = [("the corpus's PDFs", folder / "pdf")]
    scratch = tempfile.TemporaryDirectory(prefix="clausier-bench-")
    amf = Path(args.amf)
    if any(amf.glob("*.pdf")):
        cases.append(("ten copies of the AMF PDFs", amf_copies(amf, 10, scratch.name)))
    else:
        print(f"(no PDF in {amf}: the real-PDF cases are skipped)")
    print()
    print("| PDF | clausier CPU (s) | pdftotext CPU (s) | clausier throughput / pdftotext | clausier peak (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for name, where in cases:
        pdfs = files(where, "pdf")
        ours = [measure([str(clausier), "check", "--format", "json", str(where)]) for _ in range(args.rounds)]
        theirs = [measure(pdftotext(pdfs)) for _ in range(args.rounds)]
        a = statistics.median(m[3] for m in ours)
        b = statistics.median(m[3] for m in theirs)
        print(f"| {name} ({len(pdfs)} files) | {a:.2f} | {b:.2f} | {b / a:.2f} | {max(m[1] for m in ours):.0f} |")

    # Peak memory where it used to grow: many dossiers, one big folder.
    memory = []
    if any(amf.glob("*.pdf")):
        memory.append(("thirty dossiers of the AMF PDFs (90 PDFs)", amf_copies(amf, 30, scratch.name)))
    big40, _ = corpus(examples, "40M", "md")
    memory.append(("a flat folder of 40 MB of Markdown", flat(big40 / "md", TARGET / "bench-flat-40M")))
    print()
    print("| memory case | wall (s) | CPU (s) | peak memory (MiB) |")
    print("|---|---:|---:|---:|")
    for name, where in memory:
        wall, peak, _, cpu = measure([str(clausier), "check", "--format", "json", str(where)])
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")
    scratch.cleanup()

    if args.memory:
        big, big_manifest = corpus(examples, args.memory, "md")
        wall, peak, _, _ = measure([str(clausier), "check", "--format", "json", str(big / "md")])
        size = big_manifest["bytes"]["md"]
        print(f"clausier on {size / 1e9:.2f} GB of Markdown: {wall:.1f} s, {size / 1e6 / wall:.1f} MB/s, peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
