#include "utf8.h"

#include <doctest/doctest.h>

using namespace morgue;

TEST_CASE("valid UTF-8 is kept, a BOM is dropped") {
    auto d = utf8::to_utf8("Díaz");
    CHECK(d.text == "Díaz");
    CHECK(d.encoding == utf8::Encoding::kUtf8);
    CHECK(utf8::to_utf8("\xEF\xBB\xBFhi").text == "hi");
}

TEST_CASE("invalid UTF-8 is detected") {
    CHECK(utf8::is_valid("Díaz"));
    CHECK_FALSE(utf8::is_valid("\xC3"));            // truncated sequence
    CHECK_FALSE(utf8::is_valid("\xC0\xAF"));        // overlong
    CHECK_FALSE(utf8::is_valid("\xED\xA0\x80"));    // surrogate
    CHECK_FALSE(utf8::is_valid("\xF4\x90\x80\x80"));// above U+10FFFF
}

TEST_CASE("a legacy 8-bit file is read as Windows-1252") {
    // The BBC corpus' sport/199.txt has a Latin-1 pound sign.
    auto d = utf8::to_utf8("cost \xA3" "5m and \x93quoted\x94");
    CHECK(d.encoding == utf8::Encoding::kWindows1252);
    CHECK(d.text == "cost £5m and “quoted”");
    CHECK(utf8::is_valid(d.text));
}

TEST_CASE("mostly-UTF-8 text with bad bytes gets U+FFFD") {
    auto d = utf8::to_utf8("Díaz \xFF end");
    CHECK(d.encoding == utf8::Encoding::kRepaired);
    CHECK(d.invalid_bytes == 1);
    CHECK(d.text == "Díaz \xEF\xBF\xBD end");
}

TEST_CASE("UTF-16 with a byte order mark is converted") {
    std::string le("\xFF\xFE" "C\0u\0b\0a\0", 10);
    CHECK(utf8::to_utf8(le).text == "Cuba");
    std::string be("\xFE\xFF\0C\0u", 6);
    CHECK(utf8::to_utf8(be).text == "Cu");
}

TEST_CASE("truncation never splits a character") {
    CHECK(utf8::truncate_bytes("Díaz", 2) == "D");
    CHECK(utf8::truncate_bytes("Díaz", 3) == "Dí");
    CHECK(utf8::truncate_bytes("Díaz", 100) == "Díaz");
}

TEST_CASE("HTML escaping") {
    CHECK(utf8::html_escape("<script>alert('x') & \"y\"</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST_CASE("complete_prefix drops a character cut short by a byte limit") {
    CHECK(utf8::complete_prefix("D\xC3") == "D");
    CHECK(utf8::complete_prefix("D\xE5\xA4") == "D");
    CHECK(utf8::complete_prefix("Díaz") == "Díaz");
    CHECK(utf8::complete_prefix("外") == "外");
    CHECK(utf8::complete_prefix("") == "");
}

TEST_CASE("truncate_graphemes never separates a base from its marks") {
    using morgue::utf8::truncate_graphemes;
    std::string hindi = "दिल्ली";  // द ि ल ् ल ी: consonants, vowel signs and a virama
    for (std::size_t n = 0; n <= hindi.size(); ++n) {
        std::string_view cut = truncate_graphemes(hindi, n);
        CAPTURE(n);
        CHECK(cut.size() <= n);
        // Never ends before a combining mark (U+093E..U+094D are vowel signs and the virama).
        if (cut.size() < hindi.size()) {
            auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(hindi[cut.size() + k])); };
            unsigned cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
            CHECK_FALSE((cp >= 0x093E && cp <= 0x094D));
        }
    }
    CHECK(truncate_graphemes("Cafe\xCC\x81 noir", 5) == "Caf");      // e + combining acute stay together
    CHECK(truncate_graphemes("ok 👍🏽", 7) == "ok ");                // emoji + skin tone modifier
    CHECK(truncate_graphemes("short", 10) == "short");
}
