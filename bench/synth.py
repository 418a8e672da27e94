#!/usr/bin/env python3
"""Writes a deterministic synthetic news corpus made from Reuters-21578's own statistics.

  bench/synth.py REUTERS.jsonl OUTDIR --docs N [--seed S] [--shard 10000]

REUTERS.jsonl is `scripts/convert reuters` output. Articles are streamed to OUTDIR/part-NNNNN.jsonl
(SHARD articles each), never held in memory. What comes from Reuters:
  - words: a bigram chain over Reuters' body words (whitespace tokens, punctuation attached), with
    one word in ten drawn from the unigram distribution instead, so phrases such as "crude oil"
    occur as often as in Reuters and the vocabulary and its Zipf curve are Reuters';
  - lengths: each article's word count, paragraph sizes and title length are drawn from Reuters'
    empirical distributions; titles come from a second chain over Reuters' (upper-case) titles;
  - sources: the 300 commonest datelines' cities, as "<City> <Times|Herald|...>", with Zipf-like
    weights (a few big outlets, a long tail);
  - dates: uniform over 1987-01-01 .. 2024-12-31.
The same arguments always give the same files (Python's Mersenne Twister, seeded). OUTDIR/DONE is
written last, so an interrupted run is detected and redone.
"""
import argparse
import bisect
import datetime
import json
import os
import random
import re
import sys
from array import array

KINDS = ["Times", "Herald", "Post", "Tribune", "Gazette", "Courier", "Daily News", "Chronicle",
         "Journal", "Star", "Observer", "Wire"]


class Chain:
    """A bigram chain over tokens: successors kept with multiplicity, so a uniform pick is a
    pick weighted by frequency."""

    def __init__(self):
        self.ids, self.words = {}, []
        self.succ = []
        self.all = array("I")     # every token, for unigram draws
        self.starts = array("I")  # first tokens of paragraphs

    def id(self, w):
        i = self.ids.get(w)
        if i is None:
            i = self.ids[w] = len(self.words)
            self.words.append(w)
            self.succ.append(array("I"))
        return i

    def add(self, tokens):
        prev = None
        for t in tokens:
            i = self.id(t)
            self.all.append(i)
            if prev is None:
                self.starts.append(i)
            else:
                self.succ[prev].append(i)
            prev = i

    def generate(self, n, rnd):
        words, succ, alltok = self.words, self.succ, self.all
        cur = self.starts[int(rnd() * len(self.starts))]
        out = [words[cur]]
        for _ in range(n - 1):
            s = succ[cur]
            if not s or rnd() < 0.1:
                cur = alltok[int(rnd() * len(alltok))]
            else:
                cur = s[int(rnd() * len(s))]
            out.append(words[cur])
        return out


def learn(reuters_path):
    body, titles = Chain(), Chain()
    doc_lens, para_lens, title_lens = array("I"), array("I"), array("I")
    cities = {}
    with open(reuters_path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = rec.get("text") or ""
            n = 0
            for para in text.split("\n\n"):
                toks = para.split()
                if toks:
                    body.add(toks)
                    para_lens.append(len(toks))
                    n += len(toks)
            if n:
                doc_lens.append(n)
            m = re.match(r"\s*([A-Z][A-Z .]+?),", text)
            if m:
                c = m.group(1).title()
                cities[c] = cities.get(c, 0) + 1
            if rec.get("title"):
                toks = rec["title"].split()
                titles.add(toks)
                title_lens.append(len(toks))
    top = sorted(cities, key=lambda c: (-cities[c], c))[:300]
    if not top:  # a corpus without datelines (the smoke test's): numbered outlets
        top = [f"Outlet {i}" for i in range(1, 31)]
    sources = [f"{c} {KINDS[i % len(KINDS)]}" for i, c in enumerate(top)]
    return body, titles, doc_lens, para_lens, title_lens, sources


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reuters")
    ap.add_argument("outdir")
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=21578)
    ap.add_argument("--shard", type=int, default=10000)
    a = ap.parse_args()
    body, titles, doc_lens, para_lens, title_lens, sources = learn(a.reuters)
    if not doc_lens:
        sys.exit("synth: no Reuters articles in " + a.reuters)
    rng = random.Random(a.seed)
    rnd = rng.random
    cum, total = [], 0.0
    for i in range(len(sources)):
        total += 1.0 / (i + 1)
        cum.append(total)
    first = datetime.date(1987, 1, 1).toordinal()
    days = datetime.date(2024, 12, 31).toordinal() - first + 1
    os.makedirs(a.outdir, exist_ok=True)
    done = os.path.join(a.outdir, "DONE")
    if os.path.exists(done):
        os.remove(done)
    out = None
    for n in range(a.docs):
        if n % a.shard == 0:
            if out:
                out.close()
            out = open(os.path.join(a.outdir, f"part-{n // a.shard:05d}.jsonl"), "w", encoding="utf-8")
        want = doc_lens[int(rnd() * len(doc_lens))]
        paras = []
        while want > 0:
            k = min(want, para_lens[int(rnd() * len(para_lens))])
            paras.append(" ".join(body.generate(k, rnd)))
            want -= k
        rec = {
            "id": f"synth-{n:07d}",
            "title": " ".join(titles.generate(title_lens[int(rnd() * len(title_lens))], rnd)),
            "date": datetime.date.fromordinal(first + int(rnd() * days)).isoformat(),
            "source": sources[bisect.bisect(cum, rnd() * total)],
            "lang": "en",
            "text": "\n\n".join(paras),
        }
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if out:
        out.close()
    with open(done, "w") as f:
        f.write(f"{a.docs} {a.seed} {a.shard}\n")


if __name__ == "__main__":
    main()
