// Extraction on real lines from the sample articles in corpus/, and the
// cases where nothing may be found.
#include "error.h"
#include "extract.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace morgue;

namespace {

bool removed_as(const Article& a, std::string_view line, std::string_view reason) {
    return std::any_of(a.removed.begin(), a.removed.end(),
                       [&](const RemovedLine& r) { return r.text == line && r.reason == reason; });
}

std::string date_of(std::string_view text) {
    Article a = extract(text);
    return a.date ? a.date->iso() : "none";
}

}  // namespace

TEST_CASE("date: the ' date YYYY-MM-DD ' header glued to the first sentence") {
    Article a = extract(" date 2023-09-05 The Cuban foreign ministry says it has uncovered a ring.\nIt said more.");
    REQUIRE(a.date);
    CHECK(a.date->iso() == "2023-09-05");
    CHECK(a.body.rfind("The Cuban foreign ministry says", 0) == 0);
    CHECK(a.evidence["date"] == "header: date 2023-09-05");
}

TEST_CASE("date: Updated/Published lines, date lines, datelines") {
    CHECK(date_of("Headline here now\n\nUpdated September 5, 2023 at 11:59 AM ET\n\nText.") == "2023-09-05");
    CHECK(date_of("Published: 2023-09-05T10:00:00Z\nText of the story.") == "2023-09-05");
    CHECK(date_of("First published on Tue 5 Sep 2023 11.59 BST\nText.") == "2023-09-05");
    CHECK(date_of("Tue 5 Sep 2023 11.59 BST\nThe story begins here.") == "2023-09-05");
    CHECK(date_of("WASHINGTON, Sept. 5, 2023 (Reuters) - The story begins.") == "2023-09-05");
    // Published wins over Updated.
    CHECK(date_of("Updated 7 September 2023\nPublished 5 September 2023\nText.") == "2023-09-05");
}

TEST_CASE("date: dates only mentioned in the story are not the article's date") {
    CHECK(date_of("In late May, a Russia newspaper in Ryazan city reported that several Cuban citizens had signed "
                  "contracts.") == "none");
    CHECK(date_of("Russia last year announced a plan to boost the size of its armed forces.") == "none");
    CHECK(date_of("Cuba publicly expressed its support for Russia in a statement issued in February 2022.") == "none");
    CHECK(date_of("The meeting on September 5, 2023 was the first in a decade, officials said on Monday.") == "none");
    CHECK(date_of("MEXICO CITY, Mexico — Cuba says it has disrupted a scheme.") == "none");
    CHECK(date_of("Updated recently\nText.") == "none");
    CHECK(date_of("") == "none");
}

TEST_CASE("find_date: written dates, never a month without a day") {
    CHECK(find_date("September 5, 2023")->iso() == "2023-09-05");
    CHECK(find_date("Sept. 5 2023")->iso() == "2023-09-05");
    CHECK(find_date("5th September 2023")->iso() == "2023-09-05");
    CHECK(find_date("on 2023-09-05")->iso() == "2023-09-05");
    CHECK_FALSE(find_date("September 2023"));
    CHECK_FALSE(find_date("February 30, 2023"));
    CHECK_FALSE(find_date("May I say 5 things in 2023"));
}

TEST_CASE("source: Source: lines name outlets, page links are not sources") {
    Article bbc = extract("Some story text here.\nSource: BBC, EFE.");
    CHECK(bbc.sources == std::vector<std::string>{"BBC", "EFE"});
    CHECK(removed_as(bbc, "Source: BBC, EFE.", "source line"));
    CHECK(bbc.body == "Some story text here.");

    Article link = extract("Some story text here.\n\nSource: Read Full Article");
    CHECK(link.sources.empty());
    CHECK(removed_as(link, "Source: Read Full Article", "page link, not a source"));
}

TEST_CASE("source: copyright lines") {
    Article a = extract("© 2023 WLRH All Rights Reserved\nPlay Live Radio\n\nStory text.\n\n"
                        "Copyright 2023 NPR. To see more, visit https://www.npr.org.");
    CHECK(a.sources == std::vector<std::string>{"NPR", "WLRH"});  // the story's owner, then the page's
    CHECK(removed_as(a, "© 2023 WLRH All Rights Reserved", "copyright line"));
    CHECK(removed_as(a, "Copyright 2023 NPR. To see more, visit https://www.npr.org.", "copyright line"));
    CHECK(a.body == "Story text.");
}

TEST_CASE("source: agency credits, a mention of an agency is not a credit") {
    CHECK(extract("WASHINGTON (Reuters) - The U.S. said on Monday it would act.").sources ==
          std::vector<std::string>{"Reuters"});
    CHECK(extract("HAVANA (AP) — Cuba says it has uncovered a ring.").sources == std::vector<std::string>{"AP"});
    CHECK(extract("Russia’s defence ministry did not immediately respond to a Reuters request for comment.")
              .sources.empty());
    CHECK(extract("The (Reuters) - style credit is only at the start.\nMore.").sources.empty());
}

TEST_CASE("title: a headline-like first line followed by a blank line, none for a first sentence") {
    Article a = extract("Russian trafficking ring recruiting in Cuba as Putin desperate for new troops\n\n"
                        "Cuba is said to have uncovered a human trafficking ring.");
    REQUIRE(a.title);
    CHECK(*a.title == "Russian trafficking ring recruiting in Cuba as Putin desperate for new troops");
    CHECK(a.body == "Cuba is said to have uncovered a human trafficking ring.");
    // Headlines that start with money (BBC business/419.txt, entertainment/199.txt).
    CHECK(extract("$1m payoff for former Shell boss\n\nShell is to pay $1m.").title ==
          std::optional<std::string>("$1m payoff for former Shell boss"));
    CHECK(extract("&#163;1.8m indecency fine for Viacom\n\nMedia giant Viacom has paid.").title ==
          std::optional<std::string>("&#163;1.8m indecency fine for Viacom"));

    CHECK_FALSE(extract("Cuba has uncovered a human trafficking ring that coerced its citizens to fight for Russia, "
                        "its foreign ministry said.\n\nThe statement gave few details.")
                    .title);
    CHECK_FALSE(extract(" date 2023-09-05 The Cuban foreign ministry says it has uncovered a ring.\nIt said.").title);
    // Headlines without spaces: Chinese, Japanese, one English word.
    CHECK(extract("古巴破获为俄罗斯招募人员的人口贩运团伙\n\n古巴外交部表示，该团伙招募古巴公民。").title ==
          std::optional<std::string>("古巴破获为俄罗斯招募人员的人口贩运团伙"));
    CHECK(extract("キューバ、人身売買組織を摘発\n\nキューバ外務省は発表した。").title ==
          std::optional<std::string>("キューバ、人身売買組織を摘発"));
    CHECK(extract("Brexit\n\nThe talks resumed on Monday.").title == std::optional<std::string>("Brexit"));
    CHECK_FALSE(extract("古巴外交部表示，该团伙已被破获。\n\n更多内容。").title);  // a sentence
    CHECK_FALSE(extract("Only one line without anything after it").title);
    CHECK_FALSE(extract("").title);
}

TEST_CASE("boilerplate: radio player chrome") {
    Article a = extract("© 2023 WLRH All Rights Reserved\nPlay Live Radio\nNext Up:\n0:00 0:00\n"
                        "Available On Air Stations\n\nCuba says it dismantled a ring\n\nStory text here.");
    CHECK(removed_as(a, "Play Live Radio", "radio player"));
    CHECK(removed_as(a, "Next Up:", "radio player"));
    CHECK(removed_as(a, "0:00 0:00", "media player"));
    CHECK(removed_as(a, "Available On Air Stations", "radio player"));
    CHECK(a.title == std::optional<std::string>("Cuba says it dismantled a ring"));
    CHECK(a.body == "Story text here.");
}

TEST_CASE("boilerplate: teasers, link blocks and sign-up blurbs, real paragraphs stay") {
    std::string text =
        "Moreover, Cuba is firmly against mercenarism, the statement added.\n\n"
        "READ MORE: Inside Kim Jong-un’s bulletproof train traveling 426 miles to meet Putin\n\n"
        "Don’t miss…\n"
        "Ukraine’s ‘masterful’ use of drones that humiliated Putin and devastated navy[EXCLUSIVE]\n"
        "Putin’s right-hand man scraps military drills with Belarus in major shake-up[REPORT]\n\n"
        "Speaking about the ongoing conflict, the statement read.\n\n"
        "We use your sign-up to provide content in ways you’ve consented to. You can unsubscribe at any time. "
        "More info\n\n"
        "This report comes as the Kremlin continues to seek fresh troops.";
    Article a = extract(text);
    CHECK(removed_as(a, "READ MORE: Inside Kim Jong-un’s bulletproof train traveling 426 miles to meet Putin",
                     "teaser link"));
    CHECK(removed_as(a, "Don’t miss…", "teaser links"));
    CHECK(removed_as(a, "Putin’s right-hand man scraps military drills with Belarus in major shake-up[REPORT]",
                     "teaser links"));
    CHECK(a.body ==
          "Moreover, Cuba is firmly against mercenarism, the statement added.\n\n"
          "Speaking about the ongoing conflict, the statement read.\n\n"
          "This report comes as the Kremlin continues to seek fresh troops.");
}

TEST_CASE("boilerplate: repeated photo captions and photo credits") {
    std::string caption =
        "Russian Foreign Minister Sergey Lavrov and his Cuban counterpart, Bruno Rodríguez, shake hands.";
    Article a = extract("Headline of the story here\n\n" + caption + "\nRamon Espinosa/Pool\nAFP via Getty Images\n" +
                        caption + "\n\nThe story.");
    CHECK(removed_as(a, "Ramon Espinosa/Pool", "photo credit"));
    CHECK(removed_as(a, "AFP via Getty Images", "photo credit"));
    CHECK(removed_as(a, caption, "photo caption (repeated)"));
    CHECK(a.body == "The story.");
    // The caption is editorial text: kept, once, as a caption.
    CHECK(a.captions == std::vector<std::string>{caption});
}

TEST_CASE("boilerplate: a paragraph sent twice keeps one copy") {
    // Reuters reuters-9370 repeats its paragraph about oil.
    std::string para = "The company said crude oil output from the field would rise to 50,000 barrels a day.";
    Article a = extract("Texaco raises output\n\n" + para + "\n" + para + "\nIt gave no other details.");
    CHECK(removed_as(a, para, "repeated line (one copy kept)"));
    CHECK(a.body == para + "\nIt gave no other details.");
    CHECK(a.captions.empty());
}

TEST_CASE("boilerplate: labelled captions are captions, comment counters and share bars go") {
    Article a = extract("Headline of the story here\n\n"
                        "Image caption, Bruno Rodríguez met Sergey Lavrov in Havana\n\n"
                        "The story.\n\nComments (12)\n\nShare this article on Facebook Twitter Email\n\n"
                        "Related Topics\nCuba\nRussia\n\n12 comments");
    CHECK(a.captions == std::vector<std::string>{"Bruno Rodríguez met Sergey Lavrov in Havana"});
    CHECK(removed_as(a, "Image caption, Bruno Rodríguez met Sergey Lavrov in Havana",
                     "photo caption (indexed as a caption)"));
    CHECK(removed_as(a, "Comments (12)", "comment counter"));
    CHECK(removed_as(a, "12 comments", "comment counter"));
    CHECK(removed_as(a, "Share this article on Facebook Twitter Email", "sharing buttons"));
    CHECK(removed_as(a, "Related Topics", "topic links"));
    CHECK(removed_as(a, "Russia", "topic links"));
    CHECK(a.body == "The story.");
    // Sentences that only start like furniture stay.
    CHECK(extract("Comments (from readers) poured in.").body == "Comments (from readers) poured in.");
    CHECK(extract("Caption contests are popular.").captions.empty());
}

TEST_CASE("source: company suffixes are not part of a source's name") {
    CHECK(source_name("City Herald Ltd") == "City Herald");
    CHECK(source_name("Acme Media, Inc.") == "Acme Media");
    CHECK(source_name("Daily Post Pty Ltd") == "Daily Post");
    CHECK(source_name("BBC") == "BBC");
    CHECK(source_name("Ltd") == "Ltd");  // nothing left: the name stays
    CHECK(extract("Story text.\n\n© 2023 City Herald Ltd. All rights reserved.").sources ==
          std::vector<std::string>{"City Herald"});
}

TEST_CASE("byline: 'By' lines and author bios") {
    Article by = extract("Headline of the story here\n\nBy Jane Smith, BBC News\n\nThe story.");
    CHECK(by.byline == std::optional<std::string>("Jane Smith"));
    CHECK(by.body == "The story.");

    Article bio = extract("The story.\n\nEyder Peralta\nEyder Peralta is an international correspondent for NPR.");
    CHECK(bio.byline == std::optional<std::string>("Eyder Peralta"));
    CHECK(bio.body == "The story.");

    // "By" starting a sentence is not a byline.
    Article sentence = extract("By the end of the year, Cuba had prosecuted several cases.");
    CHECK_FALSE(sentence.byline);
    CHECK(sentence.body == "By the end of the year, Cuba had prosecuted several cases.");
}

TEST_CASE("nothing to find: plain story text comes through unchanged") {
    std::string text = "Cuba said it had already begun prosecuting cases.\n\nThe statement read.";
    Article a = extract(text);
    CHECK_FALSE(a.title);
    CHECK_FALSE(a.date);
    CHECK(a.sources.empty());
    CHECK_FALSE(a.byline);
    CHECK(a.removed.empty());
    CHECK(a.body == text);
}

TEST_CASE("outlet lists are data: aliases, any case, malformed lists are refused") {
    const auto& rules = ExtractRules::builtin();
    REQUIRE(rules.outlet("bbc news"));
    CHECK(rules.outlet("bbc news")->name == "BBC");
    CHECK(rules.outlet("THE ASSOCIATED PRESS")->name == "AP");
    CHECK(rules.outlet("Reuters")->agency);
    CHECK(rules.outlet("Read Full Article") == nullptr);
    ExtractRules custom = ExtractRules::parse("Morgue Gazette\toutlet\tgazette\n", "line\tHello there\tgreeting\n");
    CHECK(custom.outlet("GAZETTE")->name == "Morgue Gazette");
    CHECK(custom.boilerplate("hello there.")->reason == "greeting");
    CHECK_THROWS_AS(ExtractRules::parse("just-a-name\n", ""), Error);
    CHECK_THROWS_AS(ExtractRules::parse("", "sometimes\tx\ty\n"), Error);
}
