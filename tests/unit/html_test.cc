#include "html.h"

#include <doctest/doctest.h>

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
