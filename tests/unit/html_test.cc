#include "html.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>

using namespace morgue;

namespace {

constexpr const char* kPage = R"(<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Cuba uncovers trafficking ring | World News | Example Times</title>
  <meta property="og:title" content="Cuba uncovers trafficking ring recruiting for Russia">
  <meta property="og:site_name" content="BBC News">
  <meta property="article:published_time" content="2023-09-05T11:59:00Z">
  <meta name="author" content="Jane Smith">
  <link rel="canonical" href="https://example.org/news/cuba-ring">
  <script>var tracking = "Play Live Radio";</script>
  <style>body { color: red }</style>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a></nav>
  <header><h1>Site header</h1></header>
  <article>
    <header><h1>Cuba uncovers trafficking ring recruiting for Russia</h1></header>
    <figure><img src="x.jpg"><figcaption>Havana skyline at dusk</figcaption></figure>
    <p>Cuba has uncovered a <b>human trafficking</b> ring &amp; says it is working to dismantle it.</p>
    <p>The statement from Cuba&rsquo;s foreign ministry gave few details.</p>
    <aside>Related: Other stories</aside>
    <p>READ MORE: A teaser that extraction removes</p>
  </article>
  <footer>© 2023 Example</footer>
</body>
</html>)";

}  // namespace

TEST_CASE("HTML: metadata from meta tags") {
    HtmlPage p = parse_html(kPage);
    CHECK(p.title == std::optional<std::string>("Cuba uncovers trafficking ring recruiting for Russia"));
    REQUIRE(p.date);
    CHECK(p.date->iso() == "2023-09-05");
    CHECK(p.sources == std::vector<std::string>{"BBC News"});
    CHECK(p.byline == std::optional<std::string>("Jane Smith"));
    CHECK(p.lang == std::optional<std::string>("en"));
    CHECK(p.url == std::optional<std::string>("https://example.org/news/cuba-ring"));
}

TEST_CASE("HTML: the article's text, without scripts, navigation or asides, figure captions apart") {
    HtmlPage p = parse_html(kPage);
    CHECK(p.text ==
          "Cuba has uncovered a human trafficking ring & says it is working to dismantle it.\n\n"
          "The statement from Cuba’s foreign ministry gave few details.\n\n"
          "READ MORE: A teaser that extraction removes");
    CHECK(p.captions == std::vector<std::string>{"Havana skyline at dusk"});
}

TEST_CASE("HTML: JSON-LD NewsArticle metadata, and <title> as the last resort") {
    HtmlPage p = parse_html(R"(<html><head><title>Page title</title>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
        {"@type":"NewsArticle","headline":"LD headline","datePublished":"2023-11-16T08:00:00+00:00",
         "publisher":{"@type":"Organization","name":"NPR"},"author":[{"@type":"Person","name":"Eyder Peralta"}]}]}
      </script></head><body><main><p>Body text.</p></main></body></html>)");
    CHECK(p.title == std::optional<std::string>("LD headline"));
    CHECK(p.date->iso() == "2023-11-16");
    CHECK(p.sources == std::vector<std::string>{"NPR"});
    CHECK(p.byline == std::optional<std::string>("Eyder Peralta"));
    CHECK(p.text == "Body text.");

    HtmlPage plain = parse_html("<title>Only a title</title><p>Text <br>on two lines</p>");
    CHECK(plain.title == std::optional<std::string>("Only a title"));
    CHECK_FALSE(plain.date);
    CHECK(plain.sources.empty());
    CHECK(plain.text == "Text\non two lines");
}

TEST_CASE("HTML: broken markup and non-HTML never crash") {
    CHECK(parse_html("<p>unclosed <b>tags <i>everywhere").text == "unclosed tags everywhere");
    CHECK(parse_html("").text.empty());
    CHECK(parse_html("<<<>>><!-- never closed").text == "<<<>>>");
    HtmlPage bad_ld = parse_html(R"(<script type="application/ld+json">{not json</script><p>x</p>)");
    CHECK(bad_ld.text == "x");
    CHECK_FALSE(bad_ld.title);
}

// ---- Hostile pages (issue 17): bounded time, memory and stack --------------

namespace {

std::string repeat(std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// Parses `html` and returns the page and how long it took.
std::pair<HtmlPage, double> timed_parse(const std::string& html) {
    auto start = std::chrono::steady_clock::now();
    HtmlPage page = parse_html(html);
    return {std::move(page), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace

TEST_CASE("HTML: an ordinary page passes the bounds unchanged") {
    std::vector<std::string> warnings;
    CHECK(bounded_html(kPage, warnings) == kPage);
    CHECK(warnings.empty());
}

TEST_CASE("HTML: 100,000 nested <b> neither crash nor lose the text") {
    auto [page, seconds] = timed_parse("<p>Start of the okapi story " + repeat("<b>", 100000) + "deepword ends it.");
    CHECK(page.text.find("okapi") != std::string::npos);
    CHECK(page.text.find("deepword") != std::string::npos);
    REQUIRE(page.warnings.size() == 1);
    CHECK(page.warnings[0].find("nested too deep") != std::string::npos);
    CHECK(seconds < 5);
}

TEST_CASE("HTML: 50,000 nested <svg><g> and 33,333 nested tables") {
    auto [svg, t1] = timed_parse("<p>The kinkajou paragraph.</p>" + repeat("<svg><g>", 50000));
    CHECK(svg.text == "The kinkajou paragraph.");
    auto [table, t2] = timed_parse(repeat("<table><tr><td>", 33333) + "cellword");
    CHECK(table.text.find("cellword") != std::string::npos);
    CHECK(t1 < 5);
    CHECK(t2 < 5);
}

TEST_CASE("HTML: 40,000 unclosed <span> stay linear") {
    auto [page, seconds] = timed_parse("<p>" + repeat("<span>word ", 40000));
    CHECK(page.text.find("word word") != std::string::npos);
    CHECK(seconds < 5);  // was 84 s and 3.2 GB for half as many
}

TEST_CASE("HTML: a tag with 100,000 attributes is cut, its text kept") {
    std::string tag = "<p";
    for (int i = 0; i < 100000; ++i) tag += " a" + std::to_string(i) + "=\"" + std::to_string(i) + "\"";
    auto [page, seconds] = timed_parse(tag + ">The margay paragraph.</p>");
    CHECK(page.text == "The margay paragraph.");
    REQUIRE(page.warnings.size() == 1);
    CHECK(page.warnings[0].find("more than 256 attributes") != std::string::npos);
    CHECK(seconds < 5);  // was 32 s of CPU
}

TEST_CASE("HTML: the bounds follow the parser's nesting, not the tag count") {
    // Thousands of siblings, implied ends and void elements open nothing.
    std::string page = "<ul>" + repeat("<li><p>item<br><img src=x>", 5000) + "</ul>" +
                       repeat("<div><span>a</span></div>", 5000) + "<svg>" + repeat("<path d=\"M0\"/>", 5000) + "</svg>";
    std::vector<std::string> warnings;
    CHECK(bounded_html(page, warnings) == page);
    CHECK(warnings.empty());
    // Script text is not markup.
    std::string script = "<script>" + repeat("<b>", 1000) + "</script><p>x</p>";
    CHECK(bounded_html(script, warnings) == script);
    CHECK(warnings.empty());
}

TEST_CASE("HTML: JSON-LD that is deep or out of range is ignored, not thrown") {
    std::string deep = "<script type=\"application/ld+json\">" + repeat("[", 100000) + repeat("]", 100000) +
                       "</script><script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"x\": 1e400}"
                       "</script><p>The tayra paragraph.</p>";
    HtmlPage page = parse_html(deep);
    CHECK(page.text == "The tayra paragraph.");
}
