"""What scripts/bench and scripts/eval share for their output: the machine's description, plain
text tables for the terminal, Markdown tables, and docs/BENCHMARKS.md sections each script owns."""
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import time


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return ((r.stdout or r.stderr).strip().splitlines() or [""])[0]
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine(build):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
        with open("/proc/meminfo") as f:
            mem = int(next(l.split()[1] for l in f if l.startswith("MemTotal"))) / 1024 / 1024
    except (OSError, StopIteration):
        mem = 0
    debian = open("/etc/debian_version").read().strip() if os.path.exists("/etc/debian_version") else "?"
    lucene = sorted(f for f in os.listdir("/usr/share/java") if re.match(r"lucene-core-8.*\.jar", f)) \
        if os.path.isdir("/usr/share/java") else []
    rows = [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", f"{mem:.1f} GiB"),
        ("system", f"Debian {debian}, Linux {platform.release()}"),
        ("load average (1, 5, 15 min) at start", " ".join(f"{x:.2f}" for x in os.getloadavg())
         + " (the machine is shared: other work may run at the same time)"),
        ("date", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
        ("morgue", first_line([os.path.join(build, "searcher", "morgue-search"), "--version"])),
        ("Xapian Omega", first_line(["scriptindex", "--version"]) if shutil.which("scriptindex") else "not installed"),
        ("SQLite", sqlite3.sqlite_version),
        ("Lucene", lucene[-1][:-4] if lucene else "not installed"),
        ("Java", first_line(["java", "-version"]) if shutil.which("java") else "not installed"),
    ]
    return rows


def fmt(x, digits=2):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if x != x:  # NaN
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) < 1:
        return f"{x:.4f}"
    return f"{x:.{digits}f}"


def text_table(title, header, rows):
    cells = [header] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells[1:]:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines) + "\n"


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(fmt(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def update_section(path, name, body):
    """Replaces the text between <!-- NAME:start --> and <!-- NAME:end --> in path (appending the
    section when absent), leaving the rest of the file as it is."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
