#include "language.h"
#include "language_detect.h"

#include <doctest/doctest.h>

using morgue::detect_language;
using morgue::is_stopword;
using morgue::normalise_language;

TEST_CASE("language tags and names to ISO 639-1 codes") {
    struct Row {
        const char* input;
        const char* expected;
    } rows[] = {
        {"en", "en"},      {"EN", "en"},        {"en-US", "en"},   {"pt_BR", "pt"}, {"zh-Hant", "zh"},
        {" ru ", "ru"},    {"iw", "he"},        {"in", "id"},      {"Russian", "ru"}, {"ENGLISH", "en"}, {"norwegian", "no"}, {"Chinese", "zh"}, {"GREEK", "el"}, {"portuguese", "pt"},
        {"", ""},          {"klingonese", ""},  {"e", ""},         {"12", ""},       {"x-y", ""},
    };
    for (const Row& r : rows) {
        CAPTURE(r.input);
        CHECK(normalise_language(r.input) == r.expected);
    }
}

TEST_CASE("detection: one sentence is enough for the languages of the sample story") {
    struct Row {
        const char* text;
        const char* lang;
    } rows[] = {
        {"Cuba says it has uncovered a human trafficking ring recruiting Cubans to fight for Russia.", "en"},
        {"Cuba dice que ha desmantelado una red de trata de personas que reclutaba cubanos para Rusia.", "es"},
        {"Куба заявила, что раскрыла сеть торговли людьми, вербовавшую кубинцев для войны на Украине.", "ru"},
        {"Куба заявила, що викрила мережу торгівлі людьми, яка вербувала кубинців для війни в Україні.", "uk"},
        {"古巴外交部表示，该国已经破获了一个为俄罗斯招募古巴人的人口贩卖网络。", "zh"},
        {"キューバ外務省は、ロシアのためにキューバ人を勧誘していた人身売買組織を摘発したと発表した。", "ja"},
        {"쿠바 외교부는 러시아를 위해 쿠바인을 모집하던 인신매매 조직을 적발했다고 밝혔다.", "ko"},
        {"أعلنت وزارة الخارجية الكوبية أنها فككت شبكة للاتجار بالبشر تجند كوبيين للقتال في أوكرانيا.", "ar"},
        {"משרד החוץ של קובה הודיע כי פירק רשת סחר בבני אדם שגייסה קובנים למלחמה באוקראינה.", "he"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.text);
        auto guess = detect_language(r.text);
        CHECK(guess.accepted());
        CHECK(guess.lang == r.lang);
        CHECK(guess.percent >= 90);
    }
}

TEST_CASE("control characters do not stop detection") {
    // U+0093 and U+0085: Windows-1252 punctuation decoded as Latin-1 upstream.
    auto guess = detect_language("Die Britin wurde beschuldigt, \xC2\x93sechs- bis siebenj\xC3\xA4hrigen\xC2\x94 "
                                 "Sch\xC3\xBClern erlaubt zu haben,\xC2\x85 einem Teddyb\xC3\xA4ren den Namen zu geben.\x01");
    CHECK(guess.lang == "de");
    CHECK(guess.accepted());
}

TEST_CASE("detection says when it is unsure") {
    CHECK_FALSE(detect_language("").accepted());
    CHECK_FALSE(detect_language("ok").accepted());
    CHECK_FALSE(detect_language("12 345 678 -- 2023-09-05").accepted());
    CHECK(detect_language("ok").describe().rfind("unsure", 0) == 0);
    CHECK(detect_language("Cuba dice que ha desmantelado una red de trata de personas.").describe() ==
          "detected: es, 98% of 60 letters");
}

TEST_CASE("short texts in the archive's letters do not overrule its default language") {
    // Reuters-21578 briefs CLD2 takes for Portuguese and Dutch.
    auto rio = detect_language("RIO DE JANEIRO - IBC ESTIMATES 1987-88 COFFEE CROP AT 35.2 MLN BAGS");
    CHECK(rio.lang == "pt");
    CHECK(rio.accepted());
    CHECK_FALSE(rio.preferred_to("en"));
    CHECK(rio.preferred_to("pt"));
    auto dutch = detect_language(
        "KONINKLIJKE NEDERLANDSE PAPIERFABRIEKEN <KNPN.AS>\n\nMAASTRICHT, Netherlands, March 13 - Net 1986 "
        "profit 132.6 mln guilders vs 117.3 mln\n\nTurnover 1.6 billion guilders vs same\n\nEarnings per share "
        "16.00 guilders vs 15.80 on capital expanded by 11 pct to 8.21 mln outstanding shares.\n\nProposed "
        "dividend per share 5.50 guilders vs 5.00\n\nNote - Full company name is Koninklijke Nederlandse "
        "Papierfabrieken NV.");
    CHECK(dutch.lang == "nl");
    CHECK_FALSE(dutch.preferred_to("en"));  // English is in it too, and it is short
    // Other letters than the default's: surely not the default, however short.
    CHECK(detect_language("Куба заявила, что раскрыла сеть торговли людьми.").preferred_to("en"));
    CHECK(detect_language("古巴外交部表示，该国已经破获了一个人口贩卖网络。").preferred_to("en"));
    CHECK(detect_language("Cuba said it had dismantled a human trafficking ring.").preferred_to("ru"));
    // Long enough, the detected language wins.
    std::string spanish;
    for (int i = 0; i < 8; ++i) spanish += "Cuba dice que ha desmantelado una red de trata de personas que reclutaba cubanos. ";
    CHECK(detect_language(spanish).preferred_to("en"));
    // Unsure is never preferred.
    CHECK_FALSE(detect_language("ok").preferred_to("en"));
}

TEST_CASE("stopwords per language, matched on folded words") {
    CHECK(is_stopword("en", "the"));
    CHECK(is_stopword("de", "war"));   // German "was"...
    CHECK_FALSE(is_stopword("en", "war"));  // ...English "war"
    CHECK(is_stopword("fr", "a"));     // "à", folded
    CHECK(is_stopword("es", "mas"));   // "más", folded
    CHECK(is_stopword("ru", "что"));
    CHECK_FALSE(is_stopword("es", "estados"));  // taken out of Snowball's list: "Estados Unidos"
    CHECK_FALSE(is_stopword("ar", "في"));       // no list: no stopwords
    CHECK_FALSE(morgue::has_stopwords("zh"));
    CHECK(morgue::has_stopwords("hu"));
}
