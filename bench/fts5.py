#!/usr/bin/env python3
"""The SQLite FTS5 peer (Python's sqlite3 module, the system's SQLite): porter stemming over the
unicode61 tokenizer with diacritics removed, ranked by FTS5's bm25().

  bench/fts5.py index DB FILE.jsonl...     one transaction
  bench/fts5.py compact DB                 FTS5 'optimize', then VACUUM
  bench/fts5.py latency DB QUERIES REPS    bench/queries.tsv; one line per timed search
  bench/fts5.py run DB TOPICS LIMIT        TREC run, any word (OR)
  bench/fts5.py once DB WORDS              the SQL the sqlite3 program runs per query (for peers.py)

Output formats are those of bench/harness.h. The words of bench/queries.tsv are FTS5 query syntax
as they are (AND by default, "..." phrases).
"""
import json
import sqlite3
import sys
import time

SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(title, text, id UNINDEXED, date UNINDEXED, "
          "year UNINDEXED, month UNINDEXED, source UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')")
TOP = ("SELECT id, {snippet} FROM docs WHERE docs MATCH ?{date} ORDER BY rank LIMIT 10")
SNIPPET = "snippet(docs, 1, '<mark>', '</mark>', '…', 40)"
FACET = "SELECT {col}, count(*) FROM docs WHERE docs MATCH ?{date} GROUP BY 1 ORDER BY 2 DESC LIMIT {n}"


def index(db, files):
    con = sqlite3.connect(db)
    con.execute(SCHEMA)
    n = 0
    with con:
        for path in files:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    date = r.get("date") or ""
                    con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (r.get("title"), r.get("text"), str(r.get("id", "")), date.replace("-", ""),
                                 date[:4], date[:7], r.get("source")))
                    n += 1
    con.close()
    print(f"indexed {n}")


def compact(db):
    con = sqlite3.connect(db)
    with con:
        con.execute("INSERT INTO docs(docs) VALUES('optimize')")
    con.execute("VACUUM")
    con.close()


def search(con, q):
    """One bench query (fields of a queries.tsv line); returns the number of matches, or -1 when
    the engine was not asked to count them."""
    _, _, words, dates, facets, snippets = q
    date, args = "", [words]
    if dates != "-":
        lo, hi = dates.split("..")
        date, args = " AND date BETWEEN ? AND ?", [words, lo.replace("-", ""), hi.replace("-", "")]
    rows = con.execute(TOP.format(snippet=SNIPPET if snippets == "1" else "NULL", date=date), args).fetchall()
    total = -1
    if facets == "1":
        sources = con.execute(FACET.format(col="source", date=date, n=10), args).fetchall()
        years = con.execute(FACET.format(col="year", date=date, n=100), args).fetchall()
        months = con.execute(FACET.format(col="month", date=date, n=1000), args).fetchall()
        total = sum(c for _, c in years)
        assert sources is not None and months is not None
    return total if total >= 0 else len(rows)


def read_tsv(path, fields):
    with open(path, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    return [r for r in rows if len(r) == fields]


def latency(db, queries, reps):
    con = sqlite3.connect(db)
    qs = read_tsv(queries, 6)
    for q in qs:
        search(con, q)
    for _ in range(reps):
        for q in qs:
            t = time.perf_counter()
            total = search(con, q)
            print(f"{q[0]}\t{q[1]}\t{(time.perf_counter() - t) * 1000:.4f}\t{total}")


def run(db, topics, limit):
    con = sqlite3.connect(db)
    out = []
    for qid, text in read_tsv(topics, 2):
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in text.split())
        rows = con.execute("SELECT id, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (match, limit))
        # FTS5's bm25() is lower for better matches: negate it as a score.
        out += [f"{qid} Q0 {doc} {i} {-rank:.6f} fts5" for i, (doc, rank) in enumerate(rows, 1)]
    print("\n".join(out))


def once_sql(words):
    """The statement the sqlite3 program runs for one query with snippets (per-process cost)."""
    return TOP.format(snippet=SNIPPET, date="").replace("?", "'" + words.replace("'", "''") + "'") + ";"


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "index":
        index(argv[2], argv[3:])
    elif cmd == "compact":
        compact(argv[2])
    elif cmd == "latency":
        latency(argv[2], argv[3], int(argv[4]))
    elif cmd == "run":
        run(argv[2], argv[3], int(argv[4]))
    elif cmd == "once":
        print(once_sql(" ".join(argv[3:])))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
