"""The engines scripts/bench and scripts/eval compare: morgue and its peers, behind one interface.

Each engine indexes the same JSON Lines (peers get them converted to their own input format first,
untimed), answers the committed query set in one process (a harness timing each search), runs one
process per query (as a CGI pays it), and writes TREC runs for the evaluation. A peer that is not
installed says why through missing(), and is skipped.
"""
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SETUP_HINT = "bench/setup installs it"


def measure(argv, env=None, rss=True):
    """Runs argv; returns (wall seconds, CPU seconds (user + system, its children included), peak RSS
    in KiB, exit status, stderr text). The peak RSS
    comes from GNU time (/usr/bin/time) when installed: a child forked from this Python process
    would otherwise be charged Python's own RSS, which the kernel counts at exec. rss=False runs
    argv itself, for processes too short to be charged GNU time's own start-up."""
    gnu_time = "/usr/bin/time" if rss and os.path.exists("/usr/bin/time") else None
    rss_file = None
    if gnu_time:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = [gnu_time, "-f", "%M", "-o", rss_file] + list(argv)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    if rss_file:
        with open(rss_file) as f:
            lines = [l for l in f.read().split("\n") if l.strip().isdigit()]
        os.remove(rss_file)
        rss = int(lines[-1]) if lines else rss
    return seconds, cpu, rss, proc.returncode, err


def check(argv, ok=(0,), env=None):
    """Runs argv, returns its stdout; raises with its stderr when its status is not in ok."""
    r = subprocess.run(argv, env=env, capture_output=True, text=True)
    if r.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv[:3])}...: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    return r.stdout


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def records(files):
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def parse_latency(text):
    """Lines "id<TAB>category<TAB>ms<TAB>total" -> list of (id, category, ms, total)."""
    out = []
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) == 4:
            out.append((f[0], f[1], float(f[2]), int(f[3])))
    return out


class Engine:
    name = ""
    note = ""
    index_only = False  # a variant measured for indexing alone (its queries are another row's)

    @property
    def key(self):
        """The name, as a file name."""
        return "".join(c if c.isalnum() else "-" for c in self.name).strip("-")

    def __init__(self, build):
        self.build = build

    def missing(self):
        return None

    def prepare(self, corpus, work):
        """Untimed: converts the corpus to the engine's input; returns the input's path(s)."""
        return corpus.files

    def index_argv(self, inputs, dest):
        raise NotImplementedError

    def index(self, corpus, work, dest):
        """Indexes the corpus into dest; returns {seconds, cpu, rss_kb, size}."""
        inputs = self.prepare(corpus, work)
        if os.path.exists(dest):
            shutil.rmtree(dest) if os.path.isdir(dest) else os.remove(dest)
        seconds, cpu, rss, status, err = measure(self.index_argv(inputs, dest))
        if status not in self.index_ok:
            raise RuntimeError(f"{self.name} indexing failed ({status}): {err.strip()[-500:]}")
        return {"seconds": seconds, "cpu": cpu, "rss_kb": rss, "size": size_of(dest)}

    index_ok = (0,)

    def compact(self, dest):
        """Compacts dest (a copy when the engine writes a new one); returns the size after."""
        raise NotImplementedError

    def latency(self, dest, queries, reps):
        raise NotImplementedError

    def once(self, dest, words):
        """[(label, argv, env)]: the programs one query costs as a process of its own."""
        return []

    def run(self, dest, topics, limit):
        raise NotImplementedError


def xapian_compact(dest):
    out = dest + ".compact"
    if os.path.exists(out):
        shutil.rmtree(out)
    check(["xapian-compact", "--no-renumber", dest, out])
    size = size_of(out)
    shutil.rmtree(dest)
    os.rename(out, dest)
    return size


class Morgue(Engine):
    name = "morgue"

    def bin(self, name):
        return os.path.join(self.build, {"morgue-index": "indexer", "morgue-search": "searcher",
                                         "morgue-bench": "bench", "morgue.cgi": "searcher"}[name], name)

    index_ok = (0, 1)  # 1: some record skipped (Reuters has one with neither title nor text)

    def __init__(self, build):
        super().__init__(build)
        self.inputs = {}  # dest: what index_argv() indexed into it, which compact() indexes again

    def index_argv(self, inputs, dest):
        self.inputs[dest] = list(inputs)
        return [self.bin("morgue-index"), "--quiet", "--db", dest] + list(inputs)

    def compact(self, dest):
        """xapian-compact writes another database (a new uuid), without the facet codes morgue-index
        leaves beside the tables (common/facet_codes.h), which morgue.cgi counts facets with: the next
        run writes them, as an archive's own next run would; here an unchanged run over the same
        inputs. The size is the compacted tables' and the codes'."""
        size = xapian_compact(dest)
        if dest in self.inputs:
            argv = self.index_argv(self.inputs[dest], dest)  # the row's own flags
            status = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            if status not in self.index_ok:
                raise RuntimeError(f"{self.name}: the unchanged run after compaction failed ({status})")
        codes = os.path.join(dest, "morgue-facet-codes")  # schema::kFacetCodesFile (common/schema.h)
        return size + (os.path.getsize(codes) if os.path.exists(codes) else 0)

    def latency(self, dest, queries, reps):
        return parse_latency(check([self.bin("morgue-bench"), "latency", "--db", dest, "--queries", queries,
                                    "--reps", str(reps)]))

    def once(self, dest, words):
        runs = [("morgue-search --json", [self.bin("morgue-search"), "--db", dest, "--json", words], None)]
        # The web front end's CGI, once it exists: argv NAME=VALUE pairs and $MORGUE_DB, as
        # docs/STYLE's example 10 proposes (adjust here if it lands otherwise).
        cgi = self.bin("morgue.cgi")
        if os.path.exists(cgi):
            runs.append(("morgue.cgi", [cgi, "q=" + words, "format=json"], dict(os.environ, MORGUE_DB=dest)))
        return runs

    def run(self, dest, topics, limit, extra=()):
        return check([self.bin("morgue-bench"), "run", "--db", dest, "--topics", topics,
                      "--limit", str(limit)] + list(extra))


class MorgueNoStories(Morgue):
    """morgue-index --no-stories: without the grouping of rewrites into stories (indexer/stories.h),
    which runs after the articles are added and costs most of the indexing time."""
    name = "morgue --no-stories"

    def index_argv(self, inputs, dest):
        argv = super().index_argv(inputs, dest)
        return argv[:1] + ["--no-stories"] + argv[1:]


class MorgueOneThread(Morgue):
    """morgue-index --threads 1, stories on: one analysis thread beside the reader and the writer,
    the row to hold against Lucene's single indexing thread. Indexing only: its index answers as
    the default run's does."""
    name = "morgue --threads 1"
    index_only = True

    def index_argv(self, inputs, dest):
        argv = super().index_argv(inputs, dest)
        return argv[:1] + ["--threads", "1"] + argv[1:]


class MorgueWriters(Morgue):
    """morgue-index --writers 2, stories on: a full build written in parts by two writer threads and
    merged into a compacted index (indexer/parts.h). Indexing only: its index answers as the default
    run's does."""
    name = "morgue --writers 2"
    index_only = True

    def index_argv(self, inputs, dest):
        argv = super().index_argv(inputs, dest)
        return argv[:1] + ["--writers", "2"] + argv[1:]


class Omega(Engine):
    name = "xapian-omega"
    note = "scriptindex + Xapian QueryParser (English, STEM_SOME), Xapian's default BM25"

    def __init__(self, build, stemmer="english"):
        super().__init__(build)
        self.stemmer = stemmer  # Snowball's name (scriptindex -s), or "none"

    def missing(self):
        if not shutil.which("scriptindex"):
            return "scriptindex not installed (Debian: xapian-omega; " + SETUP_HINT + ")"
        return None

    def prepare(self, corpus, work):
        # scriptindex's input: "field=value" lines, "=" continues a value, a blank line ends a record.
        path = os.path.join(work, corpus.name + ".scriptindex")
        if not fresh(path, corpus.files + [__file__]):
            with open(path + ".tmp", "w", encoding="utf-8") as out:
                for r in records(corpus.files):
                    date = (r.get("date") or "").replace("-", "")
                    fields = [("id", r.get("id")), ("date", date), ("year", date[:4]),
                              ("month", f"{date[:4]}-{date[4:6]}" if date else ""), ("source", r.get("source")),
                              ("title", r.get("title")), ("text", r.get("text"))]
                    for k, v in fields:
                        if v:
                            lines = str(v).split("\n")
                            out.write(f"{k}={lines[0]}\n" + "".join(f"={l}\n" for l in lines[1:]))
                    out.write("\n")
            os.rename(path + ".tmp", path)
        return [path]

    def index_argv(self, inputs, dest):
        return ["scriptindex", "--overwrite", "-s", self.stemmer, dest, os.path.join(HERE, "omega.index")] + inputs

    def compact(self, dest):
        return xapian_compact(dest)

    def latency(self, dest, queries, reps):
        return parse_latency(check([os.path.join(self.build, "bench", "xapian-peer"), "latency", "--db", dest,
                                    "--queries", queries, "--reps", str(reps)]))

    def once(self, dest, words):
        conf = dest + ".omega.conf"
        with open(conf, "w") as f:
            f.write(f"database_dir {os.path.dirname(dest)}\ntemplate_dir /usr/share/xapian-omega/templates\n"
                    f"log_dir {os.path.dirname(dest)}\n")
        runs = [("quest", ["quest", "-d", dest, "-s", "english", "-m", "10", words], None)]
        if os.path.exists("/usr/lib/cgi-bin/omega/omega"):
            runs.append(("omega CGI", ["/usr/lib/cgi-bin/omega/omega", "P=" + words,
                                       "DB=" + os.path.basename(dest)], dict(os.environ, OMEGA_CONFIG_FILE=conf)))
        return runs

    def run(self, dest, topics, limit):
        return check([os.path.join(self.build, "bench", "xapian-peer"), "run", "--db", dest, "--topics", topics,
                      "--limit", str(limit), "--stemmer", self.stemmer])


class Fts5(Engine):
    name = "sqlite-fts5"
    note = "SQLite FTS5, porter + unicode61 remove_diacritics 2, bm25()"
    script = os.path.join(HERE, "fts5.py")

    def missing(self):
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.Error as e:
            return f"SQLite without FTS5 ({e})"
        return None

    def index_argv(self, inputs, dest):
        return [sys.executable, self.script, "index", dest] + list(inputs)

    def compact(self, dest):
        check([sys.executable, self.script, "compact", dest])
        return size_of(dest)

    def latency(self, dest, queries, reps):
        return parse_latency(check([sys.executable, self.script, "latency", dest, queries, str(reps)]))

    def once(self, dest, words):
        if not shutil.which("sqlite3"):
            return []
        sql = check([sys.executable, self.script, "once", dest, words])
        return [("sqlite3 program", ["sqlite3", dest, sql], None)]

    def run(self, dest, topics, limit):
        return check([sys.executable, self.script, "run", dest, topics, str(limit)])


LUCENE_JARS = ["core", "analyzers-common", "queryparser", "facet", "highlighter", "queries", "memory"]


class Lucene(Engine):
    name = "lucene"
    note = "Lucene 8 (liblucene8-java), EnglishAnalyzer, BM25, one indexing thread"

    def classpath(self):
        jars = []
        for j in LUCENE_JARS:
            found = sorted(glob.glob(f"/usr/share/java/lucene-{j}-8*.jar"))
            if not found:
                return None
            jars.append(found[-1])
        return ":".join(jars + [os.path.join(self.build, "bench", "java")])

    def missing(self):
        if not shutil.which("javac") or not shutil.which("java"):
            return "no Java compiler (Debian: default-jdk-headless; " + SETUP_HINT + ")"
        if not self.classpath():
            return "Lucene 8 not installed (Debian: liblucene8-java; " + SETUP_HINT + ")"
        return None

    def java(self, *args):
        return ["java", "-cp", self.classpath(), "LuceneBench"] + list(args)

    def compile(self):
        src = os.path.join(HERE, "lucene", "LuceneBench.java")
        out = os.path.join(self.build, "bench", "java")
        if not fresh(os.path.join(out, "LuceneBench.class"), [src]):
            os.makedirs(out, exist_ok=True)
            check(["javac", "-d", out, "-cp", self.classpath(), src])

    def prepare(self, corpus, work):
        self.compile()
        path = os.path.join(work, corpus.name + ".lucene.tsv")
        if not fresh(path, corpus.files + [__file__]):
            esc = lambda s: (s or "").replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            with open(path + ".tmp", "w", encoding="utf-8") as out:
                for r in records(corpus.files):
                    date = (r.get("date") or "").replace("-", "")
                    month = f"{date[:4]}-{date[4:6]}" if date else ""
                    out.write("\t".join([esc(str(r.get("id", ""))), date, date[:4], month, esc(r.get("source")),
                                         esc(r.get("title")), esc(r.get("text"))]) + "\n")
            os.rename(path + ".tmp", path)
        return [path]

    def index_argv(self, inputs, dest):
        return self.java("index", inputs[0], dest)

    def compact(self, dest):
        check(self.java("compact", dest))
        return size_of(dest)

    def latency(self, dest, queries, reps):
        self.compile()
        return parse_latency(check(self.java("latency", dest, queries, str(reps))))

    def once(self, dest, words):
        self.compile()
        return [("java LuceneBench once", self.java("once", dest, words), None)]

    def run(self, dest, topics, limit):
        self.compile()
        return check(self.java("run", dest, topics, str(limit)))


def fresh(path, sources):
    """Whether path exists and is newer than every source."""
    if not os.path.exists(path):
        return False
    t = os.path.getmtime(path)
    return all(os.path.getmtime(s) <= t for s in sources)


PEERS = {"omega": Omega, "fts5": Fts5, "lucene": Lucene}
