// The Lucene 8 peer (Debian's liblucene8-java): EnglishAnalyzer, BM25, one
// indexing thread (SerialMergeScheduler). bench/peers.py compiles and runs it.
//   index DOCS.tsv DIR          docs: id, date YYYYMMDD, year, month, source, title, text
//   compact DIR                 forceMerge(1)
//   latency DIR QUERIES REPS    bench/queries.tsv; one line per timed search
//   run DIR TOPICS LIMIT        TREC run, any word (OR)
//   once DIR WORDS...           one search (the cost of a process per query)
// Output formats are those of bench/harness.h.
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
    static final Analyzer analyzer = new EnglishAnalyzer();

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static void index(String docs, String dir) throws Exception {
        IndexWriterConfig iwc = new IndexWriterConfig(analyzer);
        iwc.setSimilarity(new BM25Similarity());
        iwc.setMergeScheduler(new SerialMergeScheduler());
        iwc.setRAMBufferSizeMB(256);
        iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        FacetsConfig config = new FacetsConfig();
        long n = 0;
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), iwc);
             BufferedReader in = Files.newBufferedReader(Paths.get(docs), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t", -1);
                Document d = new Document();
                d.add(new StringField("id", f[0], Field.Store.YES));
                if (!f[1].isEmpty()) d.add(new IntPoint("date", Integer.parseInt(f[1])));
                if (!f[2].isEmpty()) d.add(new SortedSetDocValuesFacetField("year", f[2]));
                if (!f[3].isEmpty()) d.add(new SortedSetDocValuesFacetField("month", f[3]));
                if (!f[4].isEmpty()) d.add(new SortedSetDocValuesFacetField("source", f[4]));
                // Title and text in one stored field: searched, and highlighted.
                d.add(new TextField("body", unescape(f[5]) + "\n\n" + unescape(f[6]), Field.Store.YES));
                w.addDocument(config.build(d));
                n++;
            }
            w.commit();
        }
        System.out.println("indexed " + n);
    }

    static void compact(String dir) throws Exception {
        IndexWriterConfig iwc = new IndexWriterConfig(analyzer);
        iwc.setMergeScheduler(new SerialMergeScheduler());
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), iwc)) {
            w.forceMerge(1);
        }
    }

    static class Searcher {
        final DirectoryReader reader;
        final IndexSearcher searcher;
        final UnifiedHighlighter highlighter;
        SortedSetDocValuesReaderState facetState;  // made on first use (costly, once per reader)
        long sink = 0;

        Searcher(String dir) throws Exception {
            reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)));
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
            highlighter = new UnifiedHighlighter(searcher, analyzer);
        }

        Query parse(String words, boolean any) throws Exception {
            QueryParser qp = new QueryParser("body", analyzer);
            qp.setDefaultOperator(any ? QueryParser.Operator.OR : QueryParser.Operator.AND);
            return qp.parse(words);
        }

        // One bench query; returns the number of matches.
        long search(String[] q) throws Exception {
            Query query = parse(q[2], false);
            if (!q[3].equals("-")) {
                String[] range = q[3].split("\\.\\.");
                query = new BooleanQuery.Builder()
                    .add(query, BooleanClause.Occur.MUST)
                    .add(IntPoint.newRangeQuery("date", Integer.parseInt(range[0].replace("-", "")),
                                                Integer.parseInt(range[1].replace("-", ""))),
                         BooleanClause.Occur.FILTER)
                    .build();
            }
            TopDocs top;
            if (q[4].equals("1")) {
                if (facetState == null) facetState = new DefaultSortedSetDocValuesReaderState(reader);
                FacetsCollector fc = new FacetsCollector();
                top = FacetsCollector.search(searcher, query, 10, fc);
                Facets facets = new SortedSetDocValuesFacetCounts(facetState, fc);
                FacetResult sources = facets.getTopChildren(10, "source");
                FacetResult years = facets.getTopChildren(100, "year");
                FacetResult months = facets.getTopChildren(1000, "month");
                sink += (sources == null ? 0 : sources.childCount) + (years == null ? 0 : years.childCount)
                        + (months == null ? 0 : months.childCount);
            } else {
                top = searcher.search(query, 10);
            }
            for (ScoreDoc sd : top.scoreDocs) sink += searcher.doc(sd.doc).get("id").length();
            if (q[5].equals("1")) {
                for (String s : highlighter.highlight("body", query, top)) sink += s == null ? 0 : s.length();
            }
            return top.totalHits.value;
        }
    }

    static List<String[]> readTsv(String path, int fields) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length == fields) out.add(f);
        }
        return out;
    }

    static void latency(String dir, String queries, int reps) throws Exception {
        Searcher s = new Searcher(dir);
        List<String[]> qs = readTsv(queries, 6);
        // The JIT needs time to settle: untimed rounds for at least 3 s (at most 200 rounds).
        long warm = System.nanoTime();
        for (int r = 0; r < 200 && System.nanoTime() - warm < 3_000_000_000L; r++) for (String[] q : qs) s.search(q);
        for (int r = 0; r < reps; r++) {
            for (String[] q : qs) {
                long start = System.nanoTime();
                long total = s.search(q);
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("%s\t%s\t%.4f\t%d%n", q[0], q[1], ms, total);
            }
        }
        System.err.println("lucene: " + s.sink + " bytes of snippets and facets");
    }

    static void run(String dir, String topics, int limit) throws Exception {
        Searcher s = new Searcher(dir);
        StringBuilder out = new StringBuilder();
        for (String[] t : readTsv(topics, 2)) {
            TopDocs top = s.searcher.search(s.parse(QueryParser.escape(t[1]), true), limit);
            int rank = 1;
            for (ScoreDoc sd : top.scoreDocs) {
                out.append(t[0]).append(" Q0 ").append(s.searcher.doc(sd.doc).get("id")).append(' ')
                   .append(rank++).append(' ').append(String.format("%.6f", sd.score)).append(" lucene\n");
            }
        }
        System.out.print(out);
    }

    public static void main(String[] args) throws Exception {
        BooleanQuery.setMaxClauseCount(4096);
        switch (args.length > 0 ? args[0] : "") {
            case "index": index(args[1], args[2]); break;
            case "compact": compact(args[1]); break;
            case "latency": latency(args[1], args[2], Integer.parseInt(args[3])); break;
            case "run": run(args[1], args[2], Integer.parseInt(args[3])); break;
            case "once": {
                Searcher s = new Searcher(args[1]);
                String words = String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length));
                System.out.println(s.search(new String[] {"q", "once", words, "-", "0", "1"}));
                break;
            }
            default:
                System.err.println("usage: LuceneBench index|compact|latency|run|once ...");
                System.exit(2);
        }
    }
}
