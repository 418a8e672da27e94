#!/usr/bin/env python3
"""Our small relevance evaluator: TREC qrels and runs in, MAP, P@10, nDCG@10 and recall@100 out.

  bench/evaluate.py QRELS RUN [--per-query]

QRELS: "qid 0 docno rel" lines (rel > 0 is relevant; the gain for nDCG is rel).
RUN:   "qid Q0 docno rank score tag" lines, ranked by rank (ties in rank keep file order).
Conventions, as trec_eval's with -c: every query of QRELS with a relevant document counts, and a
query the run has no line for scores 0; documents of the run that QRELS does not judge are not
relevant; a document listed twice for a query counts once (its best rank). nDCG uses log2(rank + 1)
discounts and the ideal ordering of QRELS' gains.
"""
import math
import sys


def read_qrels(lines):
    qrels = {}
    for line in lines:
        f = line.split()
        if len(f) != 4:
            continue
        qid, _, doc, rel = f
        qrels.setdefault(qid, {})[doc] = int(rel)
    return qrels


def read_run(lines):
    """qid -> docnos in rank order (first occurrence kept)."""
    rows = {}
    for n, line in enumerate(lines):
        f = line.split()
        if len(f) < 4:
            continue
        rows.setdefault(f[0], []).append((int(f[3]), n, f[2]))
    run = {}
    for qid, entries in rows.items():
        seen, docs = set(), []
        for _, _, doc in sorted(entries):
            if doc not in seen:
                seen.add(doc)
                docs.append(doc)
        run[qid] = docs
    return run


def average_precision(ranked, judged):
    relevant = {d for d, r in judged.items() if r > 0}
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked, 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def precision_at(ranked, judged, k):
    return sum(1 for d in ranked[:k] if judged.get(d, 0) > 0) / k


def recall_at(ranked, judged, k):
    relevant = sum(1 for r in judged.values() if r > 0)
    return sum(1 for d in ranked[:k] if judged.get(d, 0) > 0) / relevant if relevant else 0.0


def ndcg_at(ranked, judged, k):
    dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 1) for i, d in enumerate(ranked[:k], 1))
    ideal = sorted((r for r in judged.values() if r > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


METRICS = [("MAP", average_precision), ("P@10", lambda r, j: precision_at(r, j, 10)),
           ("nDCG@10", lambda r, j: ndcg_at(r, j, 10)), ("R@100", lambda r, j: recall_at(r, j, 100))]


def per_query(qrels, run):
    """qid -> {metric: value}, for the queries of qrels that have a relevant document."""
    out = {}
    for qid, judged in sorted(qrels.items()):
        if any(r > 0 for r in judged.values()):
            ranked = run.get(qid, [])
            out[qid] = {name: f(ranked, judged) for name, f in METRICS}
    return out


def evaluate(qrels, run):
    """{metric: mean over the judged queries}, plus "queries": how many."""
    pq = per_query(qrels, run)
    means = {name: (sum(m[name] for m in pq.values()) / len(pq) if pq else 0.0) for name, _ in METRICS}
    means["queries"] = len(pq)
    return means


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1]) as q, open(argv[2]) as r:
        qrels, run = read_qrels(q), read_run(r)
    if "--per-query" in argv:
        for qid, m in per_query(qrels, run).items():
            print(qid, " ".join(f"{k}={v:.4f}" for k, v in m.items()))
    m = evaluate(qrels, run)
    print(f"queries={m['queries']} " + " ".join(f"{name}={m[name]:.4f}" for name, _ in METRICS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
