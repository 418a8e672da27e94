"""The evaluator against cases computed by hand (run by CTest: "eval: metrics")."""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate as ev  # noqa: E402

QRELS = ev.read_qrels("""
1 0 d1 1
1 0 d3 1
1 0 d9 0
2 0 e5 2
2 0 e6 1
3 0 x1 0
""".strip().split("\n"))


class Metrics(unittest.TestCase):
    def test_average_precision(self):
        # Relevant d1, d3 at ranks 1 and 3: (1/1 + 2/3) / 2.
        self.assertAlmostEqual(ev.average_precision(["d1", "d2", "d3"], QRELS["1"]), (1 + 2 / 3) / 2)
        # Only d3, at rank 2: (1/2) / 2 relevant; a judged non-relevant d9 counts as a miss.
        self.assertAlmostEqual(ev.average_precision(["d9", "d3"], QRELS["1"]), 0.25)
        self.assertEqual(ev.average_precision([], QRELS["1"]), 0.0)

    def test_precision_and_recall(self):
        ranked = ["d1", "x", "d3"] + [f"y{i}" for i in range(200)]
        self.assertAlmostEqual(ev.precision_at(ranked, QRELS["1"], 10), 0.2)
        self.assertAlmostEqual(ev.precision_at(["d1"], QRELS["1"], 10), 0.1)  # short runs still divide by 10
        self.assertAlmostEqual(ev.recall_at(ranked, QRELS["1"], 100), 1.0)
        self.assertAlmostEqual(ev.recall_at(["x"] * 0 + [f"y{i}" for i in range(100)] + ["d1"], QRELS["1"], 100), 0.0)
        self.assertAlmostEqual(ev.recall_at(["d3"], QRELS["1"], 100), 0.5)

    def test_ndcg_with_graded_gains(self):
        # e6 (gain 1) at rank 1, e5 (gain 2) at rank 2: DCG = 1 + 2/log2(3);
        # ideal: 2 + 1/log2(3).
        got = ev.ndcg_at(["e6", "e5"], QRELS["2"], 10)
        self.assertAlmostEqual(got, (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))
        self.assertAlmostEqual(ev.ndcg_at(["e5", "e6"], QRELS["2"], 10), 1.0)
        # Past the cut-off nothing counts.
        self.assertEqual(ev.ndcg_at([f"z{i}" for i in range(10)] + ["e5"], QRELS["2"], 10), 0.0)

    def test_run_order_duplicates_and_missing_queries(self):
        run = ev.read_run("""
1 Q0 d3 2 5.0 t
1 Q0 d1 1 9.0 t
1 Q0 d1 3 1.0 t
""".strip().split("\n"))
        self.assertEqual(run["1"], ["d1", "d3"])  # by rank; the second d1 dropped
        m = ev.evaluate(QRELS, run)
        # Query 3 has no relevant document: not counted. Query 2 is missing from the run: zeros.
        self.assertEqual(m["queries"], 2)
        self.assertAlmostEqual(m["MAP"], (1.0 + 0.0) / 2)
        self.assertAlmostEqual(m["P@10"], (0.2 + 0.0) / 2)
        self.assertAlmostEqual(m["R@100"], (1.0 + 0.0) / 2)
        self.assertAlmostEqual(m["nDCG@10"], (1.0 + 0.0) / 2)


if __name__ == "__main__":
    unittest.main()
