#include "facets.h"

#include "schema.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

namespace morgue {

namespace {

std::vector<FacetValue> spy_values(const Xapian::ValueCountMatchSpy& spy) {
    std::vector<FacetValue> out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) out.push_back(FacetValue{*it, it.get_termfreq()});
    return out;
}

void most_frequent_first(std::vector<FacetValue>& values) {
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
}

// Each article counts once for each of its sources (a joined list per article).
std::vector<FacetValue> source_counts(const std::vector<FacetValue>& joined_lists) {
    std::map<std::string, Xapian::doccount> sources;
    for (const FacetValue& v : joined_lists) {
        std::set<std::string_view> names;
        std::string_view list = v.value;
        for (std::size_t i = 0; i <= list.size();) {
            std::size_t end = std::min(list.find(schema::kListSeparator, i), list.size());
            if (end > i) names.insert(list.substr(i, end - i));
            i = end + 1;
        }
        for (std::string_view name : names) sources[std::string(name)] += v.count;
    }
    std::vector<FacetValue> out;
    for (const auto& [name, count] : sources) out.push_back(FacetValue{name, count});
    most_frequent_first(out);
    return out;
}

// "YYYY-MM" counts summed by "YYYY", chronological.
std::vector<FacetValue> year_counts(const std::vector<FacetValue>& months) {
    std::map<std::string, Xapian::doccount> years;
    for (const FacetValue& m : months) years[m.value.substr(0, 4)] += m.count;
    std::vector<FacetValue> out;
    for (const auto& [year, count] : years) out.push_back(FacetValue{year, count});
    return out;
}

}  // namespace

FacetCounter::FacetCounter()
    : sources_(schema::kSlotSources), months_(schema::kSlotMonth), langs_(schema::kSlotLang),
      bylines_(schema::kSlotByline) {}

void FacetCounter::attach(Xapian::Enquire& enquire) {
    enquire.add_matchspy(&sources_);
    enquire.add_matchspy(&months_);
    enquire.add_matchspy(&langs_);
    enquire.add_matchspy(&bylines_);
}

Facets FacetCounter::facets() const {
    Facets f;
    f.source = source_counts(spy_values(sources_));
    f.month = spy_values(months_);
    f.year = year_counts(f.month);
    f.lang = spy_values(langs_);
    most_frequent_first(f.lang);
    f.byline = spy_values(bylines_);
    most_frequent_first(f.byline);
    return f;
}

}  // namespace morgue
