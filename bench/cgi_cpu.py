#!/usr/bin/env python3
"""CPU per request of a fork-per-request morgue.cgi against Omega's CGI, interleaved round by round.

scripts/bench times each one-process program in a block of its own; on a shared machine the load
then falls on one program more than on another. Here every round runs each program on the bench's
one-process queries (bench.py's ONCE_QUERIES), `--per-query` times each, one program after the
other, and charges it the user + system time of its children (getrusage); the median of the rounds
is printed per program. Besides the search as the bench runs it (`format=json`), the HTML page and a
static asset (the CGI's start-up, its libraries and the database opened, no search) are timed.

Uses the indexes scripts/bench leaves in its work directory (morgue's default row and Omega's).

    python3 bench/cgi_cpu.py --build build --corpus reuters --rounds 15
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import ONCE_QUERIES  # noqa: E402

OMEGA_CGI = "/usr/lib/cgi-bin/omega/omega"


def programs(build, db_dir, corpus):
    """{label: function(query) -> (argv, env)} for each program timed."""
    cgi = os.path.join(build, "searcher", "morgue.cgi")
    morgue_env = dict(os.environ, MORGUE_DB=os.path.join(db_dir, corpus + ".morgue"))
    progs = {
        "morgue.cgi format=json": lambda q: ([cgi, "q=" + q, "format=json"], morgue_env),
        "morgue.cgi HTML page": lambda q: ([cgi, "q=" + q], morgue_env),
        "morgue.cgi asset (no search)": lambda q: ([cgi, "asset=style.css"], morgue_env),
    }
    conf = os.path.join(db_dir, corpus + ".xapian-omega.omega.conf")
    if os.path.exists(OMEGA_CGI) and os.path.exists(conf):
        omega_env = dict(os.environ, OMEGA_CONFIG_FILE=conf)
        progs["Omega's CGI"] = lambda q: ([OMEGA_CGI, "P=" + q, "DB=" + corpus + ".xapian-omega"], omega_env)
    return progs


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--work", help="scripts/bench's database directory (default BUILD/bench-work/db)")
    ap.add_argument("--corpus", default="reuters", help="reuters or synthetic-N, as scripts/bench names it")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--per-query", type=int, default=5, help="requests per query per round")
    args = ap.parse_args()
    db_dir = args.work or os.path.join(args.build, "bench-work", "db")
    if not os.path.isdir(os.path.join(db_dir, args.corpus + ".morgue")):
        sys.exit(f"cgi_cpu: no {args.corpus}.morgue in {db_dir} (run scripts/bench first)")
    progs = programs(args.build, db_dir, args.corpus)
    requests = len(ONCE_QUERIES) * args.per_query
    ms = {label: [] for label in progs}
    for _ in range(args.rounds):
        for label, run in progs.items():
            before = children_cpu()
            for q in ONCE_QUERIES:
                for _ in range(args.per_query):
                    argv, env = run(q)
                    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            ms[label].append((children_cpu() - before) / requests * 1000)
    omega = statistics.median(ms["Omega's CGI"]) if "Omega's CGI" in ms else None
    print(f"CPU ms per request (user + system), {args.corpus}, median of {args.rounds} rounds of {requests}:")
    for label, v in ms.items():
        med = statistics.median(v)
        ratio = f"  {med / omega:.2f}× Omega's" if omega else ""
        print(f"  {label:30} {med:7.2f}  (min {min(v):.2f}, max {max(v):.2f}){ratio}")


if __name__ == "__main__":
    main()
