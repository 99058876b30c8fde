#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "secure_ota/ota/json_reader.h"

using namespace secure_ota::ota;

static JsonError parse(const std::string& s, JsonObject* o = nullptr, JsonLimits lim = JsonLimits{}) {
    JsonObject tmp;
    return parse_flat_json_object(s.data(), s.size(), o ? *o : tmp, lim);
}

TEST(JsonReader, ParsesFlatObject) {
    JsonObject o;
    ASSERT_EQ(parse(R"( { "a" : "x", "n": -42, "t": true, "f": false, "z": null, "big": 9223372036854775807 } )", &o), JsonError::Ok);
    std::string s;
    int64_t n;
    bool b;
    EXPECT_TRUE(o.get_string("a", s));
    EXPECT_EQ(s, "x");
    EXPECT_TRUE(o.get_int("n", n));
    EXPECT_EQ(n, -42);
    EXPECT_TRUE(o.get_bool("t", b));
    EXPECT_TRUE(b);
    EXPECT_TRUE(o.get_bool("f", b));
    EXPECT_FALSE(b);
    EXPECT_EQ(o.find("z")->type, JsonValue::Type::Null);
    EXPECT_TRUE(o.get_int("big", n));
    EXPECT_EQ(n, INT64_MAX);
    EXPECT_FALSE(o.get_int("a", n)) << "type mismatch must not convert";
    EXPECT_FALSE(o.get_string("missing", s));
    EXPECT_EQ(parse("{}", &o), JsonError::Ok);
    EXPECT_TRUE(o.members().empty());
}

TEST(JsonReader, DecodesEscapesAndUtf8) {
    JsonObject o;
    ASSERT_EQ(parse(R"({"s":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é"})", &o), JsonError::Ok);
    std::string s;
    ASSERT_TRUE(o.get_string("s", s));
    EXPECT_EQ(s, "a\"b\\c/d\n\t\xc3\xa9\xf0\x9f\x98\x80 \xc3\xa9");
}

TEST(JsonReader, RejectsDuplicatesNestingAndGarbage) {
    EXPECT_EQ(parse(R"({"a":1,"a":2})"), JsonError::DuplicateKey);
    EXPECT_EQ(parse(R"({"a":{"b":1}})"), JsonError::Nested);
    EXPECT_EQ(parse(R"({"a":[1]})"), JsonError::Nested);
    EXPECT_EQ(parse(R"({"a":1} x)"), JsonError::Trailing);
    EXPECT_EQ(parse(R"({"a":1}{})"), JsonError::Trailing);
    EXPECT_EQ(parse(R"([1])"), JsonError::Syntax);
    EXPECT_EQ(parse(R"("a")"), JsonError::Syntax);
    EXPECT_EQ(parse(""), JsonError::Syntax);
    EXPECT_EQ(parse("{"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a":1,})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a" 1})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({a:1})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({'a':1})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a":tru})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a":nul)"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a":1)"), JsonError::Syntax);
}

TEST(JsonReader, IntegersOnly) {
    EXPECT_EQ(parse(R"({"a":1.5})"), JsonError::BadNumber);
    EXPECT_EQ(parse(R"({"a":1e3})"), JsonError::BadNumber);
    EXPECT_EQ(parse(R"({"a":01})"), JsonError::BadNumber);
    EXPECT_EQ(parse(R"({"a":-})"), JsonError::BadNumber);
    EXPECT_EQ(parse(R"({"a":+1})"), JsonError::Syntax);
    EXPECT_EQ(parse(R"({"a":9223372036854775808})"), JsonError::BadNumber);
    EXPECT_EQ(parse(R"({"a":-9223372036854775809})"), JsonError::BadNumber);
    JsonObject o;
    int64_t n;
    ASSERT_EQ(parse(R"({"a":-9223372036854775808})", &o), JsonError::Ok);
    ASSERT_TRUE(o.get_int("a", n));
    EXPECT_EQ(n, INT64_MIN);
}

TEST(JsonReader, RejectsBadStrings) {
    EXPECT_EQ(parse("{\"a\":\"x\ny\"}"), JsonError::BadString);            // raw control char
    EXPECT_EQ(parse(R"({"a":"\x"})"), JsonError::BadString);                // unknown escape
    EXPECT_EQ(parse(R"({"a":"\u12"})"), JsonError::BadString);              // short \u
    EXPECT_EQ(parse(R"({"a":"\u0000"})"), JsonError::BadString);            // NUL
    EXPECT_EQ(parse(R"({"a":"\ud800"})"), JsonError::BadString);            // lone high surrogate
    EXPECT_EQ(parse(R"({"a":"\udc00"})"), JsonError::BadString);            // lone low surrogate
    EXPECT_EQ(parse("{\"a\":\"\xc3\"}"), JsonError::BadString);              // truncated UTF-8
    EXPECT_EQ(parse("{\"a\":\"\xc0\xaf\"}"), JsonError::BadString);          // overlong
    EXPECT_EQ(parse("{\"a\":\"\xed\xa0\x80\"}"), JsonError::BadString);      // UTF-8 surrogate
    EXPECT_EQ(parse("{\"a\":\"\xf4\x90\x80\x80\"}"), JsonError::BadString);  // > U+10FFFF
    EXPECT_EQ(parse("{\"a\":\"\xff\"}"), JsonError::BadString);
    EXPECT_EQ(parse(R"({"a":"abc)"), JsonError::BadString);                 // unterminated
    EXPECT_EQ(parse(R"({"a":"abc\)"), JsonError::BadString);
}

TEST(JsonReader, EnforcesLimits) {
    JsonLimits lim;
    lim.max_input = 32;
    lim.max_members = 2;
    lim.max_key = 3;
    lim.max_string = 4;
    EXPECT_EQ(parse(R"({"a":"1234"})", nullptr, lim), JsonError::Ok);
    EXPECT_EQ(parse(R"({"a":"12345"})", nullptr, lim), JsonError::TooLarge);
    EXPECT_EQ(parse(R"({"abcd":1})", nullptr, lim), JsonError::TooLarge);
    EXPECT_EQ(parse(R"({"a":1,"b":2,"c":3})", nullptr, lim), JsonError::TooLarge);
    EXPECT_EQ(parse(std::string("{") + std::string(40, ' ') + "}", nullptr, lim), JsonError::TooLarge);
}

TEST(JsonReader, NeverReadsPastItsBuffer) {
    // Every prefix of a valid document is parsed from an exact-size heap copy (ASan/valgrind
    // catch any overread); none but the full text is accepted.
    std::string doc = R"({"alg":"ES256","n":-12,"ok":true,"u":"\u00e9\ud83d\ude00"})";
    for (size_t n = 0; n <= doc.size(); ++n) {
        std::unique_ptr<char[]> copy(new char[n ? n : 1]);
        std::memcpy(copy.get(), doc.data(), n);
        JsonObject o;
        JsonError e = parse_flat_json_object(copy.get(), n, o);
        EXPECT_EQ(e == JsonError::Ok, n == doc.size()) << "prefix " << n;
    }
}
