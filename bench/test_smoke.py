"""Smoke tests (CTest "bench: smoke", "eval: smoke"): scripts/bench's and scripts/eval's drivers run
end to end on tiny corpora, with whatever peers this machine has (a peer that is not installed must
be skipped with a message, never fail the run). MORGUE_BUILD_DIR names the build directory."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("MORGUE_BUILD_DIR", os.path.join(os.path.dirname(HERE), "build"))
PEERS = ["xapian-omega", "sqlite-fts5", "lucene"]

ARTICLES = [
    ("OIL PRICES RISE", "1987-03-02", "Reuters", "Crude oil prices rose sharply as OPEC cut its production quota."),
    ("COCOA REVIEW", "1987-03-09", "Reuters", "Showers continued in the Bahia cocoa zone, cocoa exporters said."),
    ("FED HOLDS RATES", "1987-04-01", "AP", "The Federal Reserve left interest rates unchanged, bankers said."),
    ("TRADE DEFICIT WIDENS", "1987-05-15", "AP", "The U.S. trade deficit with Japan widened, the trade office said."),
    ("STOCK EXCHANGE", "1987-06-30", "Reuters", "The stock exchange said net profit rose 12 pct on oil trading."),
    ("COFFEE EXPORTS", "1987-03-20", "AP", "Brazil said coffee exports fell; the bank expects a market recovery."),
]


def run(argv):
    return subprocess.run([sys.executable] + argv, capture_output=True, text=True, timeout=600)


class Smoke(unittest.TestCase):
    def test_bench_on_a_tiny_corpus(self):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = os.path.join(tmp, "tiny.jsonl")
            with open(corpus, "w") as f:
                for i, (title, date, source, text) in enumerate(ARTICLES * 5):
                    f.write(json.dumps({"id": f"t{i}", "title": title, "date": date, "source": source,
                                        "text": text}) + "\n")
            out = os.path.join(tmp, "BENCH.md")
            r = run([os.path.join(HERE, "bench.py"), "--build", BUILD, "--corpus", corpus, "--synthetic", "40",
                     "--reps", "2", "--once-reps", "1", "--work", os.path.join(tmp, "work"), "--out", out])
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            self.assertIn("Indexing: given corpus (30 articles", r.stdout)
            self.assertIn("Indexing: synthetic corpus, seed 21578 (40 articles", r.stdout)
            # Both corpora have every row: stories, no stories, one thread; then growth and targets.
            self.assertEqual(len(re.findall(r"\nmorgue --threads 1 +\d", r.stdout)), 3)  # 2 indexing, growth
            self.assertEqual(len(re.findall(r"\nmorgue --writers 2 +\d", r.stdout)), 3)
            self.assertRegex(r.stdout, r"Growth from given corpus to synthetic corpus.*\n(.*\n)*morgue +\d+\.\d×")
            self.assertRegex(r.stdout, r"stories cost at most \+20% over --no-stories \(synthetic corpus.*(met|not met)")
            # morgue's rows carry numbers: indexing, latency, one process per query.
            self.assertRegex(r.stdout, r"\nmorgue +\d+\.\d+ +[\d,.]+ +\d")
            self.assertRegex(r.stdout, r"\nmorgue +morgue-search --json +\d")
            # A CGI process per query: wall and CPU per request, and target 6 against Omega's CGI.
            self.assertRegex(r.stdout, r"\nmorgue +morgue\.cgi( +[\d,.]+){4}")  # median, mean, requests/s, CPU
            if "skipped xapian-omega" not in r.stdout and os.path.exists("/usr/lib/cgi-bin/omega/omega"):
                self.assertRegex(r.stdout, r"morgue\.cgi costs no more CPU than Omega's CGI.*[\d.]+ ms vs [\d.]+ ms")
            for peer in PEERS:
                self.assertTrue(re.search(rf"\n{peer} +\d", r.stdout) or f"skipped {peer}:" in r.stdout, peer)
            md = open(out).read()
            self.assertIn("<!-- bench:start -->", md)
            self.assertIn("### Query latency in one process", md)

    def test_eval_on_a_tiny_collection(self):
        # A TIME-format collection where each query has one obviously relevant article.
        with tempfile.TemporaryDirectory() as tmp:
            d = os.path.join(tmp, "time")
            os.makedirs(d)
            docs = ["THE COCOA HARVEST IN BAHIA WAS LATE .", "OIL PRICES ROSE AS OPEC CUT OUTPUT .",
                    "THE SENATE DEBATED THE BUDGET .", "BUDDHISTS PROTESTED IN SAIGON AGAINST DIEM ."]
            with open(os.path.join(d, "TIME.ALL"), "w") as f:
                for i, text in enumerate(docs, 1):
                    f.write(f"*TEXT {i:03d} 01/04/63 PAGE 020\n\n{text}\n\n")
                f.write("*STOP\n")
            with open(os.path.join(d, "TIME.QUE"), "w") as f:
                f.write("*FIND 1\n\n OPEC OIL PRICES .\n\n*FIND 2\n\n DIEM AND THE BUDDHISTS .\n\n*STOP\n")
            with open(os.path.join(d, "TIME.qrels.trec"), "w") as f:
                f.write("1 0 002 1\n2 0 004 1\n")
            out = os.path.join(tmp, "BENCH.md")
            r = run([os.path.join(HERE, "eval.py"), "--build", BUILD, "--collections", "time", "--corpora", tmp,
                     "--work", os.path.join(tmp, "work"), "--out", out])
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            # The relevant article comes first for both queries: MAP 1.
            self.assertRegex(r.stdout, r"\nmorgue as built \(RankingOptions defaults\) +1\.00")
            for peer in PEERS:
                self.assertTrue(re.search(rf"\n{peer}: .* +\d\.\d", r.stdout) or f"skipped {peer}:" in r.stdout, peer)
            self.assertIn("Ranking experiments on morgue", r.stdout)
            self.assertIn("<!-- eval:start -->", open(out).read())


if __name__ == "__main__":
    unittest.main()
