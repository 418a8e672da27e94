#!/usr/bin/env python3
"""scripts/bench: morgue against its peers, side by side, in one run on one machine.

Corpora: Reuters-21578 (scripts/convert) and a deterministic synthetic corpus (bench/synth.py,
200,000 articles by default, --synthetic 1000000 for a million), or the JSON Lines given with
--corpus. Every engine runs on both, morgue with and without stories and with one analysis thread.
For each engine: indexing (wall and CPU seconds, docs/s, MB/s of JSON Lines, peak RSS, index size
before and after compaction), query latency in one process over the committed query set
bench/queries.tsv (p50/p95/p99), and the cost of one process per query; then how indexing grows from
Reuters to the synthetic corpus, and the targets of issue 16. Prints the tables and writes them into
the "bench" section of docs/BENCHMARKS.md (--out).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402
import report  # noqa: E402
from report import percentile  # noqa: E402

QUERIES = os.path.join(peers.HERE, "queries.tsv")
# The queries timed as one process each: a rare and a common word, two words, a phrase.
ONCE_QUERIES = ["cocoa", "oil", "interest rates", '"crude oil"']
# morgue's rows, by the names --morgue takes.
MORGUE_ROWS = {"morgue": peers.Morgue, "no-stories": peers.MorgueNoStories, "threads-1": peers.MorgueOneThread,
               "writers-2": peers.MorgueWriters}


class Corpus:
    def __init__(self, name, files, label):
        self.name, self.files, self.label = name, files, label
        self.docs = sum(1 for f in files for line in open(f, encoding="utf-8") if line.strip())
        self.bytes = sum(os.path.getsize(f) for f in files)


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def reuters_corpus(work):
    path = os.path.join(work, "reuters.jsonl")
    if not os.path.exists(path):
        say("converting Reuters-21578 (scripts/convert reuters)")
        with open(path + ".tmp", "w") as out:
            r = subprocess.run([os.path.join(peers.ROOT, "scripts", "convert"), "reuters"], stdout=out)
        if r.returncode not in (0, 1) or os.path.getsize(path + ".tmp") == 0:
            sys.exit("bench: scripts/convert reuters failed (are the corpora in ../shared/corpora?)")
        os.rename(path + ".tmp", path)
    return Corpus("reuters", [path], "Reuters-21578")


def synthetic_corpus(work, reuters, docs, seed):
    out = os.path.join(work, f"synthetic-{docs}-{seed}")
    done = os.path.join(out, "DONE")
    if not os.path.exists(done):
        say(f"generating the synthetic corpus ({docs:,} articles) into {out}")
        subprocess.run([sys.executable, os.path.join(peers.HERE, "synth.py"), reuters.files[0], out,
                        "--docs", str(docs), "--seed", str(seed)], check=True)
    files = sorted(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".jsonl"))
    return Corpus(f"synthetic-{docs}", files, f"synthetic corpus, seed {seed}")


def summarise(lat, skip_facets):
    """Latency rows -> {overall: (p50, p95, p99), facets: ..., per category p50}."""
    def pcts(ms):
        return tuple(percentile(ms, p) for p in (50, 95, 99)) if ms else (None, None, None)
    plain = [ms for _, cat, ms, _ in lat if cat != "facets"]
    facets = [ms for _, cat, ms, _ in lat if cat == "facets"]
    cats = {}
    for _, cat, ms, _ in lat:
        cats.setdefault(cat, []).append(ms)
    return {"plain": pcts(plain), "facets": pcts(facets) if facets else None,
            "all": pcts(plain + facets), "cats": {c: percentile(v, 50) for c, v in cats.items()}}


def per_process(engine, dest, reps):
    """[(label, median ms, mean ms, mean CPU ms)] over ONCE_QUERIES, each run reps times. CPU is the
    process's user + system time: what a fork-per-request CGI costs a server, whatever the load."""
    out = []
    labels = {}
    for words in ONCE_QUERIES:
        for label, argv, env in engine.once(dest, words):
            for _ in range(reps):
                seconds, cpu, _, status, err = peers.measure(argv, env, rss=False)
                if status not in (0, 1):
                    raise RuntimeError(f"{label}: exit {status}: {err.strip()[-300:]}")
                labels.setdefault(label, []).append((seconds * 1000, cpu * 1000))
    for label, runs in labels.items():
        ms = [wall for wall, _ in runs]
        out.append((label, percentile(ms, 50), sum(ms) / len(ms), sum(cpu for _, cpu in runs) / len(runs)))
    return out


def bench_engine(engine, corpus, work, reps, once_reps, reuse=False):
    dest = os.path.join(work, "db", f"{corpus.name}.{engine.key}")
    stats = dest + ".index.json"  # beside the index: compaction replaces the index's directory
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if reuse and os.path.exists(stats) and os.path.exists(dest):
        with open(stats) as f:
            res = json.load(f)
        say(f"{corpus.name}: {engine.name}: reusing the index and its numbers ({stats})")
    else:
        say(f"{corpus.name}: {engine.name}: indexing {corpus.docs:,} articles")
        res = engine.index(corpus, work, dest)
        with open(stats, "w") as f:
            json.dump(res, f)
    if "compact_size" not in res:
        say(f"{corpus.name}: {engine.name}: {res['seconds']:.1f} s; compacting")
        res["compact_size"] = engine.compact(dest)
        with open(stats, "w") as f:
            json.dump(res, f)
    if engine.index_only:
        res["latency"], res["once"] = None, []
        return res
    say(f"{corpus.name}: {engine.name}: queries ({reps} rounds)")
    res["latency"] = summarise(engine.latency(dest, QUERIES, reps), skip_facets=False)
    res["once"] = per_process(engine, dest, once_reps) if once_reps else []
    return res


def web_load(build, work, seconds):
    """scripts/loadtest-web (the web front end's: wrk against morgue.cgi behind lighttpd, as CGI
    and as FastCGI) on morgue's Reuters index; its report lines, or None when it is not there."""
    script = os.path.join(peers.ROOT, "scripts", "loadtest-web")
    db = os.path.join(work, "db", "reuters.morgue")
    if not os.path.exists(script) or not os.path.exists(db):
        return None
    say(f"reuters: morgue.cgi under load (scripts/loadtest-web, {seconds} s per mode)")
    r = subprocess.run([script, "--db", db, "--seconds", str(seconds)], capture_output=True, text=True)
    if r.returncode != 0:
        return [f"scripts/loadtest-web failed ({r.returncode}): {r.stderr.strip()[-300:]}"]
    return [l.rstrip() for l in r.stdout.splitlines() if l.strip()]


def ratio(a, b):
    return a / b if a and b else None


def div(a, b):
    return a / b if a is not None and b else None


def tables(corpus, results):
    """[(title, header, rows)] for one corpus."""
    names = list(results)
    out = []
    rows = []
    for n in names:
        r = results[n]
        rows.append([n + (" *" if r.get("note") else ""), r["seconds"], div(corpus.docs, r["seconds"]),
                     div(corpus.bytes / 1e6, r["seconds"]), r.get("cpu"), div(corpus.docs, r.get("cpu")),
                     div(r.get("rss_kb"), 1024), r["size"] / 1e6, r["compact_size"] / 1e6])
    out.append((f"Indexing: {corpus.label} ({corpus.docs:,} articles, {corpus.bytes / 1e6:.1f} MB of JSON Lines)",
                ["engine", "seconds", "docs/s", "MB/s", "CPU s", "docs per CPU s", "peak RSS MB", "index MB",
                 "compacted MB"], rows))
    rows = []
    searched = [n for n in names if results[n]["latency"]]
    for n in searched:
        lat = results[n]["latency"]
        f = lat["facets"] or (None, None, None)
        rows.append([n, *lat["plain"], *f])
    out.append((f"Query latency in one process, ms ({corpus.label}; top 10)",
                ["engine", "p50", "p95", "p99", "facets p50", "facets p95", "facets p99"], rows))
    cats = []
    for n in searched:
        for c in results[n]["latency"]["cats"]:
            if c not in cats:
                cats.append(c)
    rows = [[n] + [results[n]["latency"]["cats"].get(c) for c in cats] for n in searched]
    out.append((f"p50 latency by kind of query, ms ({corpus.label})", ["engine"] + cats, rows))
    rows = [[n, label, med, mean, 1000 / mean, cpu] for n in names for label, med, mean, cpu in results[n]["once"]]
    if rows:
        out.append((f"One process per query, ms of wall time ({corpus.label}; "
                    f"queries: {', '.join(ONCE_QUERIES)}); requests/s for one client, one after another; "
                    "CPU ms (user + system) per request",
                    ["engine", "program", "median", "mean", "requests/s", "CPU"], rows))
    if "morgue" in results and len(names) > 1:
        m = results["morgue"]
        rows = []
        for n in names[1:]:
            p = results[n]
            if not p["latency"]:
                rows.append([f"morgue/{n}", ratio(p["seconds"], m["seconds"]), ratio(p.get("cpu"), m.get("cpu")),
                             ratio(m.get("rss_kb"), p.get("rss_kb")), ratio(m["compact_size"], p["compact_size"]),
                             None, None, None, None])
                continue
            mo = min((x[1] for x in m["once"]), default=None)
            po = min((x[1] for x in p["once"]), default=None)
            rows.append([f"morgue/{n}", ratio(p["seconds"], m["seconds"]), ratio(p.get("cpu"), m.get("cpu")),
                         ratio(m.get("rss_kb"), p.get("rss_kb")), ratio(m["compact_size"], p["compact_size"]),
                         ratio(m["latency"]["plain"][0], p["latency"]["plain"][0]),
                         ratio(m["latency"]["plain"][2], p["latency"]["plain"][2]),
                         ratio((m["latency"]["facets"] or [None])[0], (p["latency"]["facets"] or [None])[0]),
                         ratio(mo, po)])
        out.append((f"Ratios morgue/peer ({corpus.label}): docs/s above 1 = morgue faster; "
                    "the others below 1 = morgue smaller or faster",
                    ["pair", "docs/s", "docs per CPU s", "peak RSS", "compacted size", "p50", "p99", "facets p50",
                     "process per query"], rows))
    return out


def growth(base, base_res, synth, synth_res):
    """How indexing cost grows from the base corpus to the synthetic one, per engine run on both."""
    rows = []
    docs = synth.docs / base.docs
    for n, r in synth_res.items():
        b = base_res.get(n)
        if not b:
            continue
        rows.append([n, f"{docs:.1f}×", div(r["seconds"], b["seconds"]), div(r.get("cpu"), b.get("cpu")),
                     div(div(r.get("cpu"), b.get("cpu")), docs), div(r["compact_size"], b["compact_size"])])
    return (f"Growth from {base.label} to {synth.label}: above 1 in the \"per article\" column = "
            "each article costs more in the bigger archive",
            ["engine", "articles", "wall", "CPU", "CPU per article", "compacted size"], rows)


def verdict(ok):
    return "met" if ok else "not met"


def targets(corpora):
    """Issue 16's targets, checked on each corpus run: [(corpus, its results)]."""
    rows = []
    for corpus, res in corpora:
        nos, one = res.get("morgue --no-stories"), res.get("morgue --threads 1")
        two = res.get("morgue --writers 2")
        # The row that answers the queries: the default one, or --writers 2 when it was not run.
        m = res.get("morgue") or two
        lucene, omega = res.get("lucene"), res.get("xapian-omega")
        where = corpus.label
        if m and lucene:
            for name, r in (("morgue", res.get("morgue")), ("morgue --threads 1", one), ("morgue --writers 2", two)):
                if r:
                    w, c = lucene["seconds"] / r["seconds"], lucene["cpu"] / r["cpu"]
                    rows.append([f"indexing with stories ({name}) at least as fast as Lucene's one thread ({where})",
                                 f"{w:.2f}× (wall), {c:.2f}× (CPU)", verdict(min(w, c) >= 1)])
        if m and nos:
            extra = m["cpu"] / nos["cpu"] - 1
            rows.append([f"stories cost at most +20% over --no-stories ({where})",
                         f"{100 * extra:+.0f}% CPU, {100 * (m['seconds'] / nos['seconds'] - 1):+.0f}% wall",
                         verdict(extra <= 0.2)])
        if m and lucene and m["latency"] and lucene["latency"]:
            for kind, i in (("plain", "plain"), ("with facets", "facets")):
                mp, lp = (m["latency"][i] or (None,) * 3)[2], (lucene["latency"][i] or (None,) * 3)[2]
                if mp and lp:
                    rows.append([f"query p99 {kind} at most half of Lucene's ({where})",
                                 f"{mp:.2f} ms vs {lp:.2f} ms ({mp / lp:.2f}×)", verdict(mp <= lp / 2)])
        if m:
            size = m["compact_size"]
            text = corpus.bytes
            row = f"{size / text:.2f}× the text"
            ok = size <= 3 * text
            if omega:
                row += f", {size / omega['compact_size']:.2f}× Omega's"
                ok = ok and size <= omega["compact_size"]
            rows.append([f"compacted index ≤ Omega's and ≤ 3× the text ({where})", row, verdict(ok)])
            rss = max(r["rss_kb"] for r in (m, nos, one, two) if r and r.get("rss_kb")) / 1024
            rows.append([f"morgue-index peak RSS under 1 GB, any --threads or --writers ({where})", f"{rss:.0f} MB",
                         verdict(rss < 1024)])
        if m and omega and m["once"] and omega["once"]:
            cgi = [x[3] for x in m["once"] if x[0] == "morgue.cgi"]
            ocgi = [x[3] for x in omega["once"] if x[0] == "omega CGI"]
            if cgi and ocgi:
                rows.append([f"a fork-per-request morgue.cgi costs no more CPU than Omega's CGI ({where}, "
                             "mean user + system per request)",
                             f"{cgi[0]:.2f} ms vs {ocgi[0]:.2f} ms ({cgi[0] / ocgi[0]:.2f}×)", verdict(cgi[0] <= ocgi[0])])
    rows.append(["relevance unchanged within noise", "see the relevance section", "scripts/eval"])
    return ("Targets (issue 16)", ["target", "where we stand", "status"], rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(peers.ROOT, "build"))
    ap.add_argument("--work", help="scratch directory (default: BUILD/bench-work)")
    ap.add_argument("--out", default=os.path.join(peers.ROOT, "docs", "BENCHMARKS.md"),
                    help="Markdown file whose bench section is rewritten ('-': none)")
    ap.add_argument("--corpus", nargs="+", help="JSON Lines to use instead of Reuters-21578")
    ap.add_argument("--synthetic", type=int, default=200000,
                    help="articles in the synthetic corpus (0: none; 1000000 for the million-article run)")
    ap.add_argument("--seed", type=int, default=21578)
    ap.add_argument("--peers", default="omega,fts5,lucene", help="comma-separated, or 'none'")
    ap.add_argument("--morgue", default=",".join(MORGUE_ROWS),
                    help="morgue's rows, comma-separated, or 'none' (default: all; at a million articles "
                         "'writers-2' alone, as the one-writer rows take hours there). Without the 'morgue' "
                         "row, the --writers 2 row answers the queries and stands for morgue in the targets")
    ap.add_argument("--peers-on-synthetic", action=argparse.BooleanOptionalAction, default=True,
                    help="run the peers on the synthetic corpus too (default)")
    ap.add_argument("--synthetic-stories", action=argparse.BooleanOptionalAction, default=True,
                    help="index the synthetic corpus with story grouping too (default)")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse indexes (and their indexing numbers) a previous run left in the work directory")
    ap.add_argument("--web-seconds", type=int, default=15,
                    help="seconds of scripts/loadtest-web per mode on Reuters (0: skip; never with --corpus)")
    ap.add_argument("--reps", type=int, default=20, help="timed rounds of the query set")
    ap.add_argument("--once-reps", type=int, default=5, help="runs of each one-process query")
    a = ap.parse_args()
    work = a.work or os.path.join(a.build, "bench-work")
    os.makedirs(work, exist_ok=True)

    rows = [] if a.morgue == "none" else a.morgue.split(",")
    for row in rows:
        if row not in MORGUE_ROWS:
            sys.exit(f"bench: unknown morgue row {row} (known: {', '.join(MORGUE_ROWS)})")
    engines = [MORGUE_ROWS[row](a.build) for row in MORGUE_ROWS if row in rows]
    if "morgue" not in rows:
        for e in engines:
            if isinstance(e, peers.MorgueWriters):
                e.index_only = False
    skipped = []
    for name in [] if a.peers == "none" else a.peers.split(","):
        if name not in peers.PEERS:
            sys.exit(f"bench: unknown peer {name} (known: {', '.join(peers.PEERS)})")
        e = peers.PEERS[name](a.build)
        why = e.missing()
        if why:
            say(f"bench: skipping {e.name}: {why}")
            skipped.append((e.name, why))
        else:
            engines.append(e)

    mach = report.machine(a.build)
    base = Corpus("custom", a.corpus, "given corpus") if a.corpus else reuters_corpus(work)
    runs = []
    base_res = {e.name: bench_engine(e, base, work, a.reps, a.once_reps, a.reuse) for e in engines}
    runs.append((base, base_res))
    web = web_load(a.build, work, a.web_seconds) if a.web_seconds > 0 and not a.corpus else None
    synth, synth_res = None, None
    if a.synthetic > 0:
        synth = synthetic_corpus(work, base, a.synthetic, a.seed)
        on = [e for e in engines if (a.peers_on_synthetic or e.name.startswith("morgue")) and
              (a.synthetic_stories or e.name == "morgue --no-stories" or not e.name.startswith("morgue"))]
        synth_res = {e.name: bench_engine(e, synth, work, max(3, a.reps // 2), a.once_reps, a.reuse) for e in on}
        runs.append((synth, synth_res))

    mach.append(("load average (1, 5, 15 min) at end", " ".join(f"{x:.2f}" for x in os.getloadavg())))
    all_tables = [("Machine", ["", ""], [list(r) for r in mach])]
    notes = []
    for corpus, res in runs:
        all_tables += tables(corpus, res)
        notes += [f"* {corpus.label}, {n}: {r['note']}" for n, r in res.items() if r.get("note")]
    if synth_res:
        all_tables.append(growth(base, base_res, synth, synth_res))
    all_tables.append(targets(runs))
    for title, header, rows in all_tables:
        print(report.text_table(title, header, rows))
    for name, why in skipped:
        print(f"skipped {name}: {why}")
    for n in notes:
        print(n)
    if web:
        print("morgue.cgi under load (scripts/loadtest-web, Reuters-21578):\n" + "\n".join(web))

    if a.out != "-":
        md = ["## Speed (scripts/bench)", "",
              "Written by `" + " ".join(["scripts/bench"] + sys.argv[1:]) + "` on the machine below; "
              "every number here comes from that one run unless a note (*) says otherwise. Latencies are wall time of "
              "`Searcher::search()` (morgue) or the peer's equivalent in one warm process, top 10 results, "
              f"over the {sum(1 for l in open(QUERIES) if l.strip() and not l.startswith('#'))} queries of "
              "`bench/queries.tsv`; \"facets\" columns are the queries that also count sources and years.", ""]
        for title, header, rows in all_tables:
            md += [f"### {title}", "", report.md_table(header, rows)]
        for name, why in skipped:
            md.append(f"Skipped {name}: {why}.\n")
        for n in notes:
            md.append(n + "\n")
        if web:
            md += ["### morgue.cgi under load (Reuters-21578)", "",
                   "`scripts/loadtest-web` (the web front end's): wrk, 2 threads, 8 connections, against "
                   "`morgue.cgi` behind lighttpd, as a CGI (one process per request) and as a FastCGI "
                   "(one warm process), on the Reuters index above.", "", "```"] + web + ["```", ""]
        for e in engines:
            if e.note and not isinstance(e, peers.Morgue):
                md.append(f"- **{e.name}**: {e.note}")
        report.update_section(a.out, "bench", "\n".join(md) + "\n")
        say(f"bench: wrote {a.out}")


if __name__ == "__main__":
    main()
