#include "query.h"

#include "date.h"
#include "error.h"
#include "language.h"
#include "schema.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace morgue {

namespace {

using Op = Xapian::Query::op;

enum class Tok { kWord, kPhrase, kLParen, kRParen, kPlus, kMinus, kField, kAnd, kOr, kNot, kXor, kNear, kAdj, kEnd };

struct Lexeme {
    Tok type = Tok::kEnd;
    std::string text;                // word, phrase content or field name
    std::size_t begin = 0, end = 0;  // offsets in the normalised query
    Xapian::termcount window = 0;    // NEAR/n, ADJ/n
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// NEAR, NEAR/5, ADJ, ADJ/3: the operator and its window (0 = default).
std::optional<std::pair<Tok, Xapian::termcount>> proximity_op(std::string_view w) {
    Tok t;
    if (w.substr(0, 4) == "NEAR") {
        t = Tok::kNear;
        w.remove_prefix(4);
    } else if (w.substr(0, 3) == "ADJ") {
        t = Tok::kAdj;
        w.remove_prefix(3);
    } else {
        return std::nullopt;
    }
    if (w.empty()) return std::pair{t, Xapian::termcount{0}};
    if (w.front() != '/' || w.size() < 2 || w.size() > 4) return std::nullopt;
    Xapian::termcount n = 0;
    for (char c : w.substr(1)) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        n = n * 10 + static_cast<Xapian::termcount>(c - '0');
    }
    if (n == 0) return std::nullopt;
    return std::pair{t, n};
}

std::vector<Lexeme> lex(std::string_view s) {
    std::vector<Lexeme> out;
    std::size_t i = 0;
    auto emit = [&](Tok t, std::string text, std::size_t b, std::size_t e, Xapian::termcount w = 0) {
        out.push_back(Lexeme{t, std::move(text), b, e, w});
    };
    while (i < s.size()) {
        char c = s[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '(') {
            emit(Tok::kLParen, "(", i, i + 1);
            ++i;
        } else if (c == ')') {
            emit(Tok::kRParen, ")", i, i + 1);
            ++i;
        } else if (c == '"') {
            std::size_t close = s.find('"', i + 1);
            std::size_t end = close == std::string_view::npos ? s.size() : close;
            emit(Tok::kPhrase, std::string(s.substr(i + 1, end - i - 1)), i, std::min(end + 1, s.size()));
            i = std::min(end + 1, s.size());
        } else if ((c == '+' || c == '-') && i + 1 < s.size() && !is_space(s[i + 1]) && s[i + 1] != ')' &&
                   (i == 0 || is_space(s[i - 1]) || s[i - 1] == '(')) {
            emit(c == '+' ? Tok::kPlus : Tok::kMinus, std::string(1, c), i, i + 1);
            ++i;
        } else {
            std::size_t b = i;
            while (i < s.size() && !is_space(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != '"') ++i;
            std::string_view chunk = s.substr(b, i - b);
            std::size_t colon = chunk.find(':');
            bool more = colon + 1 < chunk.size() || (i < s.size() && (s[i] == '"' || s[i] == '('));
            if (colon != std::string_view::npos && colon > 0 && more &&
                schema::find_field(chunk.substr(0, colon)) != nullptr) {
                emit(Tok::kField, std::string(chunk.substr(0, colon)), b, b + colon + 1);
                if (colon + 1 < chunk.size()) emit(Tok::kWord, std::string(chunk.substr(colon + 1)), b + colon + 1, i);
                continue;
            }
            if (chunk == "AND") emit(Tok::kAnd, "AND", b, i);
            else if (chunk == "OR") emit(Tok::kOr, "OR", b, i);
            else if (chunk == "NOT") emit(Tok::kNot, "NOT", b, i);
            else if (chunk == "XOR") emit(Tok::kXor, "XOR", b, i);
            else if (auto p = proximity_op(chunk)) emit(p->first, std::string(chunk), b, i, p->second);
            else emit(Tok::kWord, std::string(chunk), b, i);
        }
    }
    out.push_back(Lexeme{Tok::kEnd, "", s.size(), s.size(), 0});
    return out;
}

Xapian::Query combine(Op op, const std::vector<Xapian::Query>& qs) {
    if (qs.empty()) return Xapian::Query();
    if (qs.size() == 1) return qs.front();
    return Xapian::Query(op, qs.begin(), qs.end());
}

// A single query word searched through its stems: what stopword handling
// (Parser::stop_words) needs to know about it.
struct PlainWord {
    std::string term;                                     // folded word
    std::string prefix;                                   // field prefix ("" for the body)
    std::vector<std::pair<std::string, std::string>> stems;  // (language, stem)
};

// One item of a group: ranked, or a filter on a boolean field.
struct Item {
    Xapian::Query query;
    const schema::Field* filter = nullptr;  // non-null for filters
    std::shared_ptr<const PlainWord> plain = nullptr;  // set for a single stemmed word
};

class Parser {
public:
    Parser(Analyzer& analyzer, const std::vector<std::string>& langs, const QueryOptions& opts,
           std::string_view text, ParsedQuery& out)
        : analyzer_(analyzer), langs_(langs), opts_(opts), text_(text), lex_(lex(text)), out_(out),
          query_lang_(query_language()) {}

    Xapian::Query parse() {
        Xapian::Query q = parse_or(nullptr);
        if (peek().type == Tok::kRParen) fail("unbalanced parenthesis: ')' without '('");
        if (peek().type != Tok::kEnd) fail("unexpected '" + peek().text + "'");
        return q;
    }

private:
    Analyzer& analyzer_;
    const std::vector<std::string>& langs_;
    const QueryOptions& opts_;
    std::string_view text_;
    std::vector<Lexeme> lex_;
    std::size_t pos_ = 0;
    std::size_t terms_ = 0;
    std::size_t depth_ = 0;  // parentheses open at this point of the parse
    ParsedQuery& out_;
    std::string query_lang_;  // the language the query is written in, when its stopwords say so

    const Lexeme& peek(std::size_t ahead = 0) const { return lex_[std::min(pos_ + ahead, lex_.size() - 1)]; }
    const Lexeme& next() { return lex_[std::min(pos_++, lex_.size() - 1)]; }

    [[noreturn]] static void fail(const std::string& why) { throw QueryError(why); }

    static bool ends_group(Tok t) {
        return t == Tok::kEnd || t == Tok::kRParen || t == Tok::kOr || t == Tok::kXor || t == Tok::kAnd ||
               t == Tok::kNot;
    }

    // What is inside a '(' (just read) up to its ')'. The parser recurses once
    // per level, so the depth is limited before the stack is.
    Xapian::Query parenthesised(const schema::Field* field) {
        if (++depth_ > opts_.max_nesting) {
            fail("parentheses nested too deep (at most " + std::to_string(opts_.max_nesting) + ")");
        }
        Xapian::Query q = parse_or(field);
        if (next().type != Tok::kRParen) fail("unbalanced parenthesis: '(' without ')'");
        --depth_;
        return q;
    }

    Xapian::Query require(Xapian::Query q, const char* op) {
        if (q.empty()) fail(std::string(op) + " needs something to search for on both sides");
        return q;
    }

    Xapian::Query parse_or(const schema::Field* field) {
        Xapian::Query left = parse_xor(field);
        while (peek().type == Tok::kOr) {
            next();
            require(left, "OR");
            left = Xapian::Query(Op::OP_OR, left, require(parse_xor(field), "OR"));
        }
        return left;
    }

    Xapian::Query parse_xor(const schema::Field* field) {
        Xapian::Query left = parse_and(field);
        while (peek().type == Tok::kXor) {
            next();
            require(left, "XOR");
            left = Xapian::Query(Op::OP_XOR, left, require(parse_and(field), "XOR"));
        }
        return left;
    }

    Xapian::Query parse_and(const schema::Field* field) {
        Xapian::Query left;
        if (peek().type == Tok::kNot) {
            left = Xapian::Query::MatchAll;  // "NOT x" alone: everything but x
        } else {
            left = parse_group(field);
        }
        for (;;) {
            Tok t = peek().type;
            if (t == Tok::kAnd && peek(1).type == Tok::kNot) {
                next();
                t = Tok::kNot;
            }
            if (t == Tok::kAnd) {
                next();
                require(left, "AND");
                left = Xapian::Query(Op::OP_AND, left, require(parse_group(field), "AND"));
            } else if (t == Tok::kNot) {
                next();
                require(left, "NOT");
                left = Xapian::Query(Op::OP_AND_NOT, left, require(parse_group(field), "NOT"));
            } else {
                return left;
            }
        }
    }

    // Items joined by the default operator, with +required and -excluded
    // items and filters.
    Xapian::Query parse_group(const schema::Field* field) {
        std::vector<Xapian::Query> must, should, must_not;
        std::vector<Item> should_items;
        std::map<std::string_view, std::vector<Xapian::Query>> filters;  // by field name
        while (!ends_group(peek().type)) {
            Tok mod = Tok::kEnd;
            if (peek().type == Tok::kPlus || peek().type == Tok::kMinus) mod = next().type;
            Item item = parse_near(field);
            if (item.query.empty()) continue;
            if (item.plain && mod != Tok::kEnd) note_match(*item.plain, {});  // +word, -word: never stopped
            if (mod == Tok::kMinus) {
                must_not.push_back(item.query);
            } else if (item.filter != nullptr) {
                filters[item.filter->name].push_back(item.query);
            } else if (mod == Tok::kPlus) {
                must.push_back(item.query);
            } else {
                should_items.push_back(std::move(item));
            }
        }
        should = stop_words(should_items, must.size());
        Xapian::Query q;
        if (opts_.default_op == Op::OP_AND) {
            must.insert(must.end(), should.begin(), should.end());
            q = combine(Op::OP_AND, must);
        } else if (!must.empty()) {
            q = combine(Op::OP_AND, must);
            if (!should.empty()) q = Xapian::Query(Op::OP_AND_MAYBE, q, combine(Op::OP_OR, should));
        } else {
            q = combine(opts_.default_op, should);
        }
        if (!filters.empty()) {
            std::vector<Xapian::Query> per_field;
            for (auto& [name, qs] : filters) per_field.push_back(combine(Op::OP_OR, qs));
            Xapian::Query filter = combine(Op::OP_AND, per_field);
            q = q.empty() ? Xapian::Query(Op::OP_SCALE_WEIGHT, filter, 0.0)
                          : Xapian::Query(Op::OP_FILTER, q, filter);
        }
        if (!must_not.empty()) {
            if (q.empty()) q = Xapian::Query::MatchAll;
            q = Xapian::Query(Op::OP_AND_NOT, q, combine(Op::OP_OR, must_not));
        }
        return q;
    }

    // a NEAR b NEAR/5 c, a ADJ b: words within a window (ADJ: in order).
    Item parse_near(const schema::Field* field) {
        if (peek(1).type != Tok::kNear && peek(1).type != Tok::kAdj) return parse_primary(field);
        std::vector<std::string> words;
        Tok op = Tok::kNear;
        Xapian::termcount window = 0;
        for (;;) {
            const Lexeme& w = next();
            if (w.type == Tok::kEnd) fail("NEAR and ADJ need a word on each side");
            if (w.type != Tok::kWord) fail("NEAR and ADJ join single words, not '" + w.text + "'");
            for (const Token& t : analyzer_.tokens(w.text)) {
                exact(t, field);
                words.push_back(t.term);
            }
            if (peek().type != Tok::kNear && peek().type != Tok::kAdj) break;
            const Lexeme& o = next();
            op = o.type;
            if (o.window != 0) window = o.window;
        }
        if (words.size() < 2) fail("NEAR and ADJ need a word on each side");
        if (window == 0) window = 10;
        window = std::max<Xapian::termcount>(window, static_cast<Xapian::termcount>(words.size()));
        return Item{positional(op == Tok::kAdj ? Op::OP_PHRASE : Op::OP_NEAR, words, field, window)};
    }

    // A phrase or NEAR of `words` in `field`, weighted as the words are (as
    // Xapian weighs a phrase: the sum of its terms' weights). The title's
    // positions are written once, in S (docs/SCHEMA.md), so a body phrase is
    // the body's or the title's (a phrase never spans the two): the body's
    // phrase, or the title's among the articles with the words, as OP_MAX of
    // the two (each weighs the same body words). Not a FILTER of the words by
    // an OR of the two phrases, which matches the same articles with the same
    // weights: Xapian checks a phrase's positions inside the AND of its words
    // only when the phrase is not under an OR, and the OR made it walk the
    // words' postings twice (a two-word phrase at a million articles: 44 ms
    // against 21).
    static Xapian::Query positional(Op op, const std::vector<std::string>& words, const schema::Field* field,
                                    Xapian::termcount window) {
        auto terms = [&](std::string_view prefix) {
            std::vector<Xapian::Query> qs;
            for (const std::string& w : words) qs.emplace_back(schema::field_term(prefix, w));
            return qs;
        };
        auto near = [&](std::string_view prefix) {
            auto qs = terms(prefix);
            return Xapian::Query(op, qs.begin(), qs.end(), window);
        };
        std::string_view prefix = prefix_of(field);
        if (prefix.empty()) {
            return Xapian::Query(Op::OP_MAX, near(prefix),
                                 Xapian::Query(Op::OP_FILTER, combine(Op::OP_AND, terms(prefix)), near(schema::kPrefixTitle)));
        }
        return near(prefix);
    }

    Item parse_primary(const schema::Field* field) {
        const Lexeme& lx = next();
        switch (lx.type) {
            case Tok::kLParen:
                return Item{parenthesised(field)};
            case Tok::kPhrase:
                return Item{phrase(lx.text, field)};
            case Tok::kWord:
                return word(lx, field);
            case Tok::kField:
                return fielded(*schema::find_field(lx.text));
            case Tok::kNear:
            case Tok::kAdj:
                fail(lx.text + " needs a word on each side");
            default:
                fail("unexpected '" + lx.text + "'");
        }
    }

    Item fielded(const schema::Field& f) {
        const Lexeme& v = next();
        switch (f.kind) {
            case schema::FieldKind::kText:
                if (v.type == Tok::kLParen) return Item{parenthesised(&f)};
                if (v.type == Tok::kPhrase) return Item{phrase(v.text, &f)};
                if (v.type == Tok::kWord) return word(v, &f);
                break;
            case schema::FieldKind::kBoolean:
                if (v.type == Tok::kWord || v.type == Tok::kPhrase) return Item{boolean(f, v.text), &f};
                break;
            case schema::FieldKind::kDateRange:
                if (v.type == Tok::kWord) return Item{date_range(v.text), &f};
                break;
        }
        fail(std::string(f.name) + ": needs a value, e.g. " + std::string(f.help.substr(f.help.find(':') + 2)));
    }

    Xapian::Query boolean(const schema::Field& f, const std::string& value) {
        count_term();
        if (f.prefix == schema::kPrefixSource) return Xapian::Query(schema::source_term(value));
        return Xapian::Query(schema::field_term(f.prefix, analyzer_.fold(value)));
    }

    Xapian::Query date_range(const std::string& value) {
        std::string_view v = value;
        std::size_t dots = v.find("..");
        std::string_view from = dots == std::string_view::npos ? v : v.substr(0, dots);
        std::string_view to = dots == std::string_view::npos ? v : v.substr(dots + 2);
        auto bad = [&](std::string_view part) {
            fail("bad date '" + std::string(part) + "' in date:" + value + " (use YYYY, YYYY-MM or YYYY-MM-DD)");
        };
        std::optional<std::string> lo, hi;
        if (!from.empty() && !(lo = parse_date_bound(from, false))) bad(from);
        if (!to.empty() && !(hi = parse_date_bound(to, true))) bad(to);
        if (!lo && !hi) fail("date: needs a date or a range, e.g. date:2023-09-01..2023-09-30");
        if (lo && hi && *lo > *hi) fail("date range " + value + " ends before it starts");
        count_term();
        return date_range_query(lo, hi, opts_.dates);
    }

    void count_term() {
        if (++terms_ > opts_.max_words) {
            fail("query too long: more than " + std::to_string(opts_.max_words) + " words");
        }
    }

    // The positional (unstemmed) term of a word.
    std::string exact(const Token& t, const schema::Field* field) {
        count_term();
        out_.match.exact.insert(t.term);
        return schema::field_term(prefix_of(field), t.term);
    }

    // The term prefix of `field`, "" for the body.
    static std::string_view prefix_of(const schema::Field* field) { return field ? field->prefix : std::string_view(); }

    // Words that must appear in this order, next to each other.
    Xapian::Query phrase(const std::vector<Token>& toks, const schema::Field* field) {
        if (toks.size() == 1) return Xapian::Query(exact(toks.front(), field));
        std::vector<std::string> words;
        for (const Token& t : toks) {
            count_term();
            words.push_back(t.term);
        }
        if (words.empty()) return Xapian::Query();
        out_.match.phrases.push_back(words);
        return positional(Op::OP_PHRASE, words, field, static_cast<Xapian::termcount>(words.size()));
    }

    Xapian::Query phrase(const std::string& text, const schema::Field* field) {
        return phrase(analyzer_.tokens(text), field);
    }

    Item word(const Lexeme& lx, const schema::Field* field) {
        std::string_view text = lx.text;
        bool wildcard = !text.empty() && text.back() == '*';
        while (!text.empty() && text.back() == '*') text.remove_suffix(1);
        std::vector<Token> toks = analyzer_.tokens(text);
        if (toks.empty()) {
            if (wildcard) fail("a wildcard needs the start of a word before '*'");
            return Item{};
        }
        if (wildcard) {
            // The last word is the pattern; any before it must be in the document too.
            std::vector<Xapian::Query> parts;
            for (std::size_t i = 0; i + 1 < toks.size(); ++i) parts.emplace_back(exact(toks[i], field));
            count_term();
            out_.match.wildcards.push_back(toks.back().term);
            parts.emplace_back(Op::OP_WILDCARD, schema::field_term(prefix_of(field), toks.back().term), opts_.max_wildcard_expansion,
                               Xapian::Query::WILDCARD_LIMIT_ERROR);
            return Item{combine(Op::OP_AND, parts)};
        }
        if (toks.size() > 1) return Item{phrase(toks, field)};
        const Token& t = toks.front();
        out_.words.push_back(QueryWord{t.term, lx.begin, lx.end});
        auto plain = std::make_shared<PlainWord>();
        plain->term = t.term;
        plain->prefix = prefix_of(field);
        bool stemmed = !field || field->stemmed;  // else only the word as written is indexed
        for (std::size_t i = 0; stemmed && i < langs_.size(); ++i) {
            std::string s = analyzer_.stem(t, langs_[i]);
            if (!s.empty()) plain->stems.emplace_back(langs_[i], std::move(s));
        }
        if (plain->stems.empty()) return Item{Xapian::Query(exact(t, field))};
        count_term();
        return Item{stems_query(*plain, {}), nullptr, std::move(plain)};
    }

    // ---- Stopwords ----------------------------------------------------
    // Like Xapian's QueryParser with a Stopper, a word of a group that is a
    // stopword is not searched for, unless the group has nothing else, it is
    // +required, or it is in a phrase. Stopwords belong to languages, and
    // one index holds several: "war" is a German stopword but an English
    // word, "de" a Spanish and French one. So a word is left out only for
    // the languages whose stopword it is: with the default AND, a German
    // article need not contain "war" to match "war crimes", an English one
    // must; with --any, "war" adds no weight in German articles.
    //
    // The query's own language matters too. Articles whose language was
    // detected wrongly (an English headline taken for Malay) are indexed in
    // another language's branch, where "the", "by", "in" are not stopwords
    // but rare words: required with AND, heavily weighted with --any. So a
    // word that is a stopword of the language the query is written in is a
    // stopword in every branch. That language is told by the stopwords
    // themselves: the one language of the index with the most distinct
    // stopwords among the query's words, at least kMinQueryStopwords of them
    // ("strike by the dockers in rio de janeiro": English, 3); one stopword
    // says nothing ("war crimes": "war" is German's, yet an English query).
    static constexpr std::size_t kMinQueryStopwords = 2;

    std::string query_language() const {
        std::set<std::string> words;
        for (const Lexeme& lx : lex_) {
            if (lx.type != Tok::kWord && lx.type != Tok::kPhrase) continue;
            for (const Token& t : analyzer_.tokens(lx.text)) words.insert(t.term);
        }
        std::string best;
        std::size_t best_count = 0;
        bool tie = false;
        for (const std::string& lang : langs_) {
            std::size_t n = 0;
            for (const std::string& w : words) n += is_stopword(lang, w) ? 1 : 0;
            if (n > best_count) {
                best = lang;
                best_count = n;
                tie = false;
            } else if (n == best_count) {
                tie = true;
            }
        }
        return best_count >= kMinQueryStopwords && !tie ? best : std::string();
    }

    // Whether `term` is left out in the branch of `lang` (when something
    // else constrains the group there).
    bool stopped_in(const std::string& lang, const std::string& term) const {
        return is_stopword(lang, term) || (!query_lang_.empty() && is_stopword(query_lang_, term));
    }

    // The (unstopped) query of a word: its stems in each language but
    // those in `skip`.
    Xapian::Query stems_query(const PlainWord& w, const std::set<std::string>& skip) const {
        std::vector<Xapian::Query> stems;
        for (const auto& [lang, stem] : w.stems) {
            if (skip.count(lang) == 0) stems.emplace_back(schema::stem_term(w.prefix, lang, stem));
        }
        return combine(Op::OP_SYNONYM, stems);
    }

    // The word's terms for highlighting, but those of the languages in `skip`.
    void note_match(const PlainWord& w, const std::set<std::string>& skip) {
        for (const auto& [lang, stem] : w.stems) {
            if (skip.count(lang) == 0) out_.match.stems.insert(lang + ":" + stem);
        }
        if (skip.empty()) out_.match.exact.insert(w.term);
    }

    // The queries of a group's unmodified items, stopwords left out per
    // language. `required` is how many +items the group has.
    std::vector<Xapian::Query> stop_words(const std::vector<Item>& items, std::size_t required) {
        // Languages in which something other than stopwords constrains the
        // group: only there can a stopword be left out.
        std::set<std::string> constrained;
        for (const std::string& lang : langs_) {
            bool other = required > 0;
            for (const Item& it : items) other = other || !it.plain || !stopped_in(lang, it.plain->term);
            if (other) constrained.insert(lang);
        }
        std::vector<Xapian::Query> out;
        for (const Item& it : items) {
            if (!it.plain) {
                out.push_back(it.query);
                continue;
            }
            std::set<std::string> stopped;
            for (const auto& [lang, stem] : it.plain->stems) {
                if (constrained.count(lang) != 0 && stopped_in(lang, it.plain->term)) stopped.insert(lang);
            }
            note_match(*it.plain, stopped);
            if (stopped.empty()) {
                out.push_back(it.query);
                continue;
            }
            if (stopped.size() == it.plain->stems.size()) continue;  // stopped everywhere: left out
            Xapian::Query kept = stems_query(*it.plain, stopped);
            if (opts_.default_op == Op::OP_AND) {
                // Articles in the stopped languages match this word anyway,
                // without weight from it.
                std::vector<Xapian::Query> langs;
                for (const std::string& lang : stopped) langs.emplace_back(schema::lang_term(lang));
                kept = Xapian::Query(Op::OP_OR, kept,
                                     Xapian::Query(Op::OP_SCALE_WEIGHT, combine(Op::OP_OR, langs), 0.0));
            }
            if (!kept.empty()) out.push_back(kept);
        }
        return out;
    }
};

}  // namespace

QueryBuilder::QueryBuilder(Analyzer& analyzer, std::vector<std::string> languages, QueryOptions options)
    : analyzer_(analyzer), languages_(std::move(languages)), options_(options) {
    if (languages_.empty()) languages_.emplace_back("en");
}

ParsedQuery QueryBuilder::parse(std::string_view query) const {
    if (query.size() > options_.max_query_bytes) {
        throw QueryError("query too long: " + std::to_string(query.size()) + " bytes (at most " +
                         std::to_string(options_.max_query_bytes) + ")");
    }
    ParsedQuery out;
    out.normalised = ascii_punctuation(query);
    Parser parser(analyzer_, languages_, options_, out.normalised, out);
    out.query = parser.parse();
    if (out.query.empty()) throw QueryError("nothing to search for in '" + std::string(query) + "'");
    return out;
}

std::vector<std::string> languages_in(const Xapian::Database& db) {
    std::vector<std::string> langs;
    const std::string prefix(schema::kPrefixLang);
    // From each term straight to the next: ++ would walk past every chunk of
    // the term's posting list (one entry per article), skip_to() looks up the next key.
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix);) {
        std::string term = *it;
        langs.push_back(term.substr(prefix.size()));
        it.skip_to(term + '\0');
    }
    if (langs.empty()) langs.emplace_back("en");
    return langs;
}

DateSpan date_span(const Xapian::Database& db) {
    return {db.get_value_lower_bound(schema::kSlotDate), db.get_value_upper_bound(schema::kSlotDate)};
}

namespace {

// A month as a number: year * 12 + month - 1.
using MonthIndex = int;

struct Day {
    MonthIndex month;
    unsigned day;
};

// "YYYYMMDD" as a month and a day; nullopt when it is not a date.
std::optional<Day> parse_day(const std::string& yyyymmdd) {
    std::optional<Date> d = Date::parse_iso(yyyymmdd);
    if (!d) return std::nullopt;
    return Day{d->year * 12 + d->month - 1, static_cast<unsigned>(d->day)};
}

// Day `d` of month `m`, whose encodings (Date::compact, Date::year_str) the indexer's date terms use.
Date date_of(MonthIndex m, unsigned d = 1) { return Date{m / 12, m % 12 + 1, static_cast<int>(d)}; }

unsigned days_in(MonthIndex m) { return static_cast<unsigned>(days_in_month(m / 12, m % 12 + 1)); }

std::string yyyymm(MonthIndex m) { return date_of(m).compact().substr(0, 6); }

// The day terms of days `from` to `to` of month `m`, or its month term when they are all its days.
void add_days(MonthIndex m, unsigned from, unsigned to, std::vector<Xapian::Query>& out) {
    if (from == 1 && to >= days_in(m)) {
        out.emplace_back(schema::month_term(yyyymm(m)));
        return;
    }
    for (unsigned d = from; d <= to; ++d) out.emplace_back(schema::day_term(date_of(m, d).compact()));
}

// The year and month terms of the whole months `from` to `to`.
void add_months(MonthIndex from, MonthIndex to, std::vector<Xapian::Query>& out) {
    for (MonthIndex m = from; m <= to;) {
        if (m % 12 == 0 && m + 11 <= to) {
            out.emplace_back(schema::year_term(date_of(m).year_str()));
            m += 12;
        } else {
            out.emplace_back(schema::month_term(yyyymm(m)));
            m += 1;
        }
    }
}

// The terms of the days from `lo` to `hi` (inclusive, lo <= hi).
std::vector<Xapian::Query> date_terms(Day lo, Day hi) {
    std::vector<Xapian::Query> out;
    if (lo.month == hi.month) {
        add_days(lo.month, lo.day, hi.day, out);
        return out;
    }
    MonthIndex first = lo.month, last = hi.month;
    if (lo.day > 1) add_days(first++, lo.day, days_in(lo.month), out);
    if (hi.day < days_in(hi.month)) add_days(last--, 1, hi.day, out);
    add_months(first, last, out);
    return out;
}

// The range over the date slot.
Xapian::Query slot_range(const std::optional<std::string>& lo, const std::optional<std::string>& hi) {
    if (lo && hi) return Xapian::Query(Op::OP_VALUE_RANGE, schema::kSlotDate, *lo, *hi);
    if (lo) return Xapian::Query(Op::OP_VALUE_GE, schema::kSlotDate, *lo);
    return Xapian::Query(Op::OP_VALUE_LE, schema::kSlotDate, *hi);
}

}  // namespace

Xapian::Query date_range_query(const std::optional<std::string>& lo, const std::optional<std::string>& hi,
                               const std::function<DateSpan()>& span) {
    if (!span) return slot_range(lo, hi);
    DateSpan archive = span();
    std::string from = lo ? std::max(*lo, archive.first) : archive.first;
    std::string to = hi ? std::min(*hi, archive.last) : archive.last;
    std::optional<Day> first = parse_day(from), last = parse_day(to);
    if (!first || !last || from > to) {
        // No article is dated in the range: the range over the slot, which Xapian answers from the
        // slot's bounds without reading it (an empty query would be no filter at all).
        return slot_range(lo, hi);
    }
    // Without weight, as the range over the slot: a boolean term under BM25+ would add its delta.
    auto unweighted = [](Xapian::Query q) { return Xapian::Query(Op::OP_SCALE_WEIGHT, q, 0.0); };
    if (from == archive.first && to == archive.last) {
        // Every dated article: one term, whose count the matcher knows exactly (it would estimate
        // an OR of disjoint terms, as if they were independent, too low).
        return unweighted(Xapian::Query(Op::OP_AND_NOT, Xapian::Query::MatchAll,
                                        Xapian::Query(std::string(schema::kTermUndated))));
    }
    std::vector<Xapian::Query> terms = date_terms(*first, *last);
    return unweighted(Xapian::Query(Op::OP_OR, terms.begin(), terms.end()));
}

}  // namespace morgue
