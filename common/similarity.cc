#include "similarity.h"

#include "document.h"
#include "embedded_data.h"
#include "language.h"
#include "schema.h"

#include <algorithm>
#include <cmath>

namespace morgue {

namespace {

using Op = Xapian::Query::op;

}  // namespace

std::string analysed_lang(const Xapian::Document& doc) {
    std::string lang = doc.get_value(schema::kSlotLang);
    return lang.empty() ? std::string(kDefaultLang) : lang;
}

bool StopStems::operator()(std::string_view stem, const std::string& lang) {
    auto it = stems_.find(lang);
    if (it == stems_.end()) it = stems_.emplace(lang, load(lang)).first;
    return it->second.count(std::string(stem)) != 0;
}

std::unordered_set<std::string> StopStems::load(const std::string& lang) {
    std::unordered_set<std::string> out;
    auto add = [&](std::string_view words) {
        for (const Token& t : analyzer_.tokens(words)) {
            std::string s = analyzer_.stem(t, lang);
            out.insert(s.empty() ? t.term : s);
        }
    };
    if (const auto* words = stopwords(lang)) {
        for (const std::string& w : *words) add(w);
    }
    if (lang == "en") {
        std::string_view extra = data::stopwords_en();
        for (std::size_t i = 0; i < extra.size();) {
            std::size_t end = std::min(extra.find('\n', i), extra.size());
            if (extra[i] != '#') add(extra.substr(i, end - i));
            i = end + 1;
        }
    }
    return out;
}

std::vector<StemStat> body_stems(const Xapian::Database& db, Xapian::docid id, const std::string& lang, StopStems& stop,
                                 DfCache* dfs) {
    std::vector<StemStat> out;
    LanguageBodyStems stems(lang);
    auto it = db.termlist_begin(id);
    for (it.skip_to(stems.prefix()); it != db.termlist_end(id); ++it) {
        const std::string& term = *it;
        if (term.compare(0, stems.prefix().size(), stems.prefix()) != 0) break;
        if (!stems(term) || stop(std::string_view(term).substr(stems.prefix().size()), lang)) continue;
        Xapian::doccount df = dfs ? dfs->get(term, [&] { return it.get_termfreq(); }) : it.get_termfreq();
        out.push_back({term, it.get_wdf(), df});
    }
    return out;
}

StemVector stem_vector(const Xapian::Database& db, const std::vector<StemStat>& stems) {
    StemVector v;
    const double n = static_cast<double>(db.get_doccount()) + kBackgroundDocs;
    double norm = 0;
    for (const StemStat& s : stems) {
        double w = (1 + std::log(static_cast<double>(s.wdf))) * std::log(n / (static_cast<double>(s.df) + 1));
        v.emplace(s.term, w);
        norm += w * w;
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
        for (auto& [t, w] : v) w /= norm;
    }
    return v;
}

double cosine(const StemVector& a, const StemVector& b) {
    const StemVector& small = a.size() < b.size() ? a : b;
    const StemVector& large = a.size() < b.size() ? b : a;
    double dot = 0;
    for (const auto& [t, w] : small) {
        auto it = large.find(t);
        if (it != large.end()) dot += w * it->second;
    }
    return dot;
}

// Not Xapian's ESet: over several databases, local or remote, Xapian 1.4
// gives an empty ESet for documents outside the last one.
Xapian::Query distinctive_stems_query(const Xapian::Database& db, const std::vector<StemStat>& body,
                                      Xapian::termcount terms, std::vector<std::string>* stems) {
    // As in stem_vector: at least kBackgroundDocs articles, or in a small archive
    // the words every article shares (the story's own) would weigh nothing.
    // Nor a stem in more than a tenth of them: it tells no story apart, and its
    // long posting list would make every such query read much of the archive
    // (undated articles search without a date window).
    const double n = static_cast<double>(db.get_doccount()) + kBackgroundDocs;
    std::vector<std::pair<double, std::string>> weighted;
    for (const StemStat& s : body) {
        if (s.df < 2 || s.df > n / 10) continue;
        double w = (1 + std::log(static_cast<double>(s.wdf))) * std::log(n / s.df);
        if (w > 0) weighted.emplace_back(w, s.term);
    }
    std::size_t keep = std::min<std::size_t>(terms, weighted.size());
    std::partial_sort(weighted.begin(), weighted.begin() + static_cast<std::ptrdiff_t>(keep), weighted.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i < keep; ++i) {
        parts.emplace_back(Op::OP_SCALE_WEIGHT, Xapian::Query(weighted[i].second), weighted[i].first);
        if (stems) stems->push_back(std::string(schema::lang_stem(weighted[i].second)));  // "Zen:x" -> "en:x"
    }
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Op::OP_OR, parts.begin(), parts.end());
}

Xapian::Query more_like(const Xapian::Database& db, Xapian::docid id, Analyzer& analyzer, Xapian::termcount terms,
                        std::vector<std::string>* stems) {
    StopStems stop(analyzer);
    return distinctive_stems_query(db, body_stems(db, id, analysed_lang(db.get_document(id)), stop), terms, stems);
}

}  // namespace morgue
