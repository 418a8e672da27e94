#!/usr/bin/env python3
"""scripts/eval: relevance of morgue and its peers on the TIME and CISI collections.

For each collection: converts the articles and queries (scripts/convert), takes the judgments
(TIME.qrels.trec, CISI.qrels.trec) from the tarball, indexes with every engine, runs every query
(any word matches, top 1000) and scores the runs with bench/evaluate.py: MAP, P@10, nDCG@10,
recall@100. Queries are given to every engine the same way: lower-cased words (letters and digits),
so no engine reads operators or syntax into them. With --experiments (the default) it also scores
morgue's ranking variants (BM25 k1 and b, pseudo-relevance feedback) and names the best one that
helps on every collection. Prints the tables; writes the "eval" section of docs/BENCHMARKS.md.
"""
import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402

COLLECTIONS = {"time": ("time.tar.gz", "TIME.qrels.trec"), "cisi": ("cisi.tar.gz", "CISI.qrels.trec")}
LIMIT = 1000
MAX_WORDS = 256
XAPIAN_DEFAULTS = ["--scheme", "bm25", "--bm25-k1", "1", "--bm25-b", "0.5", "--fb-docs", "0", "--fb-terms", "0"]


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def corpora_dir():
    env = os.environ.get("MORGUE_CORPORA")
    return env or os.path.normpath(os.path.join(peers.ROOT, "..", "shared", "corpora"))


class Collection:
    """A converted collection: articles (JSON Lines), topics (id<TAB>words), judgments."""

    def __init__(self, name, work, source, no_labels=False):
        self.name, self.label = name, name.upper()
        base = os.path.join(work, name)
        convert = os.path.join(peers.ROOT, "scripts", "convert")
        self.files = [base + ".jsonl"]
        topics_jsonl = base + ".queries.jsonl"
        for out, extra in ((self.files[0], []), (topics_jsonl, ["--queries"])):
            if not os.path.exists(out):
                with open(out + ".tmp", "w") as f:
                    r = subprocess.run([convert, name, source] + extra, stdout=f)
                if r.returncode not in (0, 1):
                    sys.exit(f"eval: scripts/convert {name} failed")
                os.rename(out + ".tmp", out)
        if no_labels:
            # The articles as most real archives have them: no "lang", detection decides.
            unlabelled = base + ".unlabelled.jsonl"
            with open(unlabelled, "w", encoding="utf-8") as out:
                for rec in peers.records(self.files):
                    rec.pop("lang", None)
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self.files = [unlabelled]
        self.topics = base + ".topics.tsv"
        # The same words, each quoted: morgue then matches them as written, unstemmed.
        self.exact_topics = base + ".exact-topics.tsv"
        with open(self.topics, "w", encoding="utf-8") as out, open(self.exact_topics, "w", encoding="utf-8") as exact:
            for rec in peers.records([topics_jsonl]):
                # At most 256 words: morgue's limit (QueryOptions::max_words); one CISI query is longer.
                words = re.findall(r"\w+", rec["text"].lower())[:MAX_WORDS]
                if words:
                    out.write(f"{rec['id']}\t{' '.join(words)}\n")
                    exact.write(f"{rec['id']}\t{' '.join(chr(34) + w + chr(34) for w in words)}\n")
        self.qrels = evaluate.read_qrels(read_member(source, COLLECTIONS[name][1]).splitlines())
        self.docs = sum(1 for _ in peers.records(self.files))

    def topics_ids(self):
        return [q for q, judged in self.qrels.items() if any(r > 0 for r in judged.values())]


def read_member(source, name):
    """The text of file `name` in a corpus tarball or unpacked directory."""
    if os.path.isdir(source):
        for d, _, files in os.walk(source):
            if name in files:
                return open(os.path.join(d, name), encoding="latin-1").read()
    else:
        with tarfile.open(source) as tar:
            for m in tar.getmembers():
                if m.name.endswith("/" + name) or m.name == name:
                    return tar.extractfile(m).read().decode("latin-1")
    sys.exit(f"eval: no {name} in {source}")


def score(coll, run_text):
    return evaluate.evaluate(coll.qrels, evaluate.read_run(run_text.splitlines()))


def weighting_variants():
    """{label: morgue-bench flags}: BM25 and BM25+ parameters (no feedback). k1 stays within the
    range usually recommended (up to 2)."""
    out = {}
    for k1, b in itertools.product((0.6, 0.9, 1.2, 1.6, 2.0), (0.3, 0.5, 0.75, 0.9)):
        out[f"BM25 k1={k1} b={b}"] = ["--scheme", "bm25", "--bm25-k1", str(k1), "--bm25-b", str(b)]
    for k1, b, delta in itertools.product((1.2, 2.0), (0.5, 0.75), (0, 0.5, 1.0)):
        out[f"BM25+ k1={k1} b={b} delta={delta}"] = ["--scheme", "bm25plus", "--bm25-k1", str(k1), "--bm25-b", str(b),
                                                     "--delta", str(delta)]
    return {label: flags + ["--fb-docs", "0", "--fb-terms", "0"] for label, flags in out.items()}


def feedback_variants(base_label, base_flags):
    """{label: flags}: pseudo-relevance feedback on top of base_flags."""
    pairs = [base_flags[i:i + 2] for i in range(0, len(base_flags), 2)]
    base = [x for flag, value in pairs if not flag.startswith("--fb") for x in (flag, value)]
    out = {}
    for docs, terms, weight in itertools.product((5, 10, 20), (10, 30), (0.3, 0.5, 1.0)):
        out[f"{base_label} + feedback {docs} docs, {terms} terms, weight {weight}"] = base + [
            "--fb-docs", str(docs), "--fb-terms", str(terms), "--fb-weight", str(weight)]
    return out


def best_on_all(results, baseline):
    """The variant whose smallest relative MAP gain over baseline, across the collections, is the
    largest, provided it is positive (it helps on every collection); None when none does.
    Maximising the worst case rather than the mean keeps one collection from choosing."""
    best, best_gain = None, 0.0
    for label, per in results.items():
        worst = min(per[c]["MAP"] / baseline[c]["MAP"] - 1 for c in per)
        if worst > best_gain:
            best, best_gain = label, worst
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(peers.ROOT, "build"))
    ap.add_argument("--work", help="scratch directory (default: BUILD/eval-work)")
    ap.add_argument("--out", default=os.path.join(peers.ROOT, "docs", "BENCHMARKS.md"),
                    help="Markdown file whose eval section is rewritten ('-': none)")
    ap.add_argument("--collections", default="time,cisi")
    ap.add_argument("--corpora", default=corpora_dir(), help="where time.tar.gz and cisi.tar.gz (or time/, cisi/) are")
    ap.add_argument("--peers", default="omega,fts5,lucene", help="comma-separated, or 'none'")
    ap.add_argument("--no-experiments", action="store_true", help="score the engines only")
    ap.add_argument("--no-labels", action="store_true",
                    help="index the articles without their \"lang\" field (language detection decides)")
    a = ap.parse_args()
    work = a.work or os.path.join(a.build, "eval-work")
    os.makedirs(os.path.join(work, "db"), exist_ok=True)

    morgue = peers.Morgue(a.build)
    engines, skipped = [], []
    for name in [] if a.peers == "none" else a.peers.split(","):
        e = peers.PEERS[name](a.build)
        why = e.missing()
        (skipped.append((e.name, why)) or say(f"eval: skipping {e.name}: {why}")) if why else engines.append(e)

    colls = []
    for name in a.collections.split(","):
        source = os.path.join(a.corpora, COLLECTIONS[name][0])
        if os.path.isdir(os.path.join(a.corpora, name)):
            source = os.path.join(a.corpora, name)  # unpacked
        if not os.path.exists(source):
            sys.exit(f"eval: no {source} (give --corpora or set MORGUE_CORPORA)")
        colls.append(Collection(name, work, source, a.no_labels))

    scores = {}  # row label -> collection -> metrics
    dbs = {}
    for c in colls:
        for e in [morgue] + engines:
            dest = os.path.join(work, "db", f"{c.name}.{e.name}")
            say(f"eval: {c.name}: indexing with {e.name}")
            e.index(c, work, dest)
            dbs[(c.name, e.name)] = dest
        scores.setdefault("morgue, Xapian's BM25 defaults (k1=1, b=0.5), no feedback", {})[c.name] = \
            score(c, morgue.run(dbs[(c.name, "morgue")], c.topics, LIMIT, XAPIAN_DEFAULTS))
        scores.setdefault("morgue as built (RankingOptions defaults)", {})[c.name] = \
            score(c, morgue.run(dbs[(c.name, "morgue")], c.topics, LIMIT))
        for e in engines:
            scores.setdefault(f"{e.name}: {e.note}", {})[c.name] = score(c, e.run(dbs[(c.name, e.name)], c.topics, LIMIT))

    metrics = ["MAP", "P@10", "nDCG@10", "R@100"]
    header = ["run"] + [f"{c.label} {m}" for c in colls for m in metrics]
    rows = [[label] + [per[c.name][m] for c in colls for m in metrics] for label, per in scores.items()]
    tables = [(f"Relevance ({', '.join(f'{c.label}: {c.docs} articles, {len(c.topics_ids())} judged queries' for c in colls)})",
               header, rows)]

    lucene = next((per for label, per in scores.items() if label.startswith("lucene")), None)
    built = scores["morgue as built (RankingOptions defaults)"]
    trows = []
    for c in colls:
        if lucene:
            gain = built[c.name]["MAP"] / lucene[c.name]["MAP"] - 1
            trows.append([f"MAP ≥ Lucene BM25 + 5% on {c.label}", f"{gain * 100:+.1f}%", "met" if gain >= 0.05 else "not met"])
        else:
            trows.append([f"MAP ≥ Lucene BM25 + 5% on {c.label}", "–", "Lucene not installed"])
    tables.append(("Target (issue 8)", ["target", "morgue vs Lucene", "status"], trows))

    if not a.no_experiments:
        baseline = scores["morgue, Xapian's BM25 defaults (k1=1, b=0.5), no feedback"]
        exp = {}
        steps = weighting_variants()
        for label, flags in steps.items():
            say(f"eval: {label}")
            exp[label] = {c.name: score(c, morgue.run(dbs[(c.name, "morgue")], c.topics, LIMIT, flags)) for c in colls}
        best_w = best_on_all(exp, baseline)
        step1 = exp[best_w] if best_w else baseline
        fb = {}
        for label, flags in feedback_variants(best_w or "Xapian's BM25", steps.get(best_w, XAPIAN_DEFAULTS)).items():
            say(f"eval: {label}")
            fb[label] = {c.name: score(c, morgue.run(dbs[(c.name, "morgue")], c.topics, LIMIT, flags)) for c in colls}
        # Feedback is kept only when it helps on every collection over the chosen weighting alone.
        best_fb = best_on_all(fb, step1)
        exp.update(fb)
        erows = [[label] + [per[c.name]["MAP"] for c in colls] +
                 [f"{(per[c.name]['MAP'] / baseline[c.name]['MAP'] - 1) * 100:+.1f}%" for c in colls]
                 for label, per in exp.items()]
        tables.append(("Ranking experiments on morgue: MAP, and change against Xapian's BM25 defaults",
                       ["variant"] + [f"{c.label} MAP" for c in colls] + [f"{c.label} Δ" for c in colls], erows))
        tables.append(("Best by the rule (each step must raise MAP on every collection; the largest worst-case "
                        "gain wins); what is made the default is said in docs/BENCHMARKS.md",
                       ["step", "choice"],
                       [["weighting (against Xapian's BM25, k1=1, b=0.5)", best_w or "none: keep Xapian's BM25"],
                        ["pseudo-relevance feedback (against the chosen weighting)",
                         best_fb or "none helps on every collection"]]))

    if not a.no_experiments:
        # Stemming. morgue's analyzer has one stemmer per language (Snowball's), so morgue is
        # compared with exact words, and other stemmers on the Xapian peer (same index script).
        srows = [["morgue: Snowball English stems (as built)"] + [built[c.name]["MAP"] for c in colls],
                 ["morgue: exact words (each query word quoted)"] +
                 [score(c, morgue.run(dbs[(c.name, "morgue")], c.exact_topics, LIMIT))["MAP"] for c in colls]]
        if any(e.name == "xapian-omega" for e in engines):
            for stemmer in ("english", "porter", "none"):
                peer = peers.Omega(a.build, stemmer)
                row = [f"xapian-omega: {stemmer}"]
                for c in colls:
                    dest = os.path.join(work, "db", f"{c.name}.xapian-{stemmer}")
                    say(f"eval: {c.name}: xapian-omega with stemmer {stemmer}")
                    peer.index(c, work, dest)
                    row.append(score(c, peer.run(dest, c.topics, LIMIT))["MAP"])
                srows.append(row)
        tables.append(("Stemming choices: MAP", ["run"] + [f"{c.label} MAP" for c in colls], srows))

    for title, header, rows in tables:
        print(report.text_table(title, header, rows))
    for name, why in skipped:
        print(f"skipped {name}: {why}")
    if a.out != "-":
        md = ["## Relevance (scripts/eval)", "",
              "Written by `" + " ".join(["scripts/eval"] + sys.argv[1:]) + "`. Every engine gets each query "
              "as lower-cased words, any of which may match, and returns its top 1000; "
              "`bench/evaluate.py` scores the runs (trec_eval's conventions, queries without a relevant "
              "article left out, a query with no results scores 0).", ""]
        for title, header, rows in tables:
            md += [f"### {title}", "", report.md_table(header, rows)]
        for name, why in skipped:
            md.append(f"Skipped {name}: {why}.\n")
        report.update_section(a.out, "eval", "\n".join(md) + "\n")
        say(f"eval: wrote {a.out}")


if __name__ == "__main__":
    main()
