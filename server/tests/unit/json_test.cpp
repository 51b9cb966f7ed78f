#include <gtest/gtest.h>

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "http/errors.hpp"
#include "http/json.hpp"

using namespace glucoplay::http;
namespace json = boost::json;

namespace {

Request json_request(std::string body, std::string content_type = "application/json") {
    Request r;
    r.method = Method::post;
    r.headers.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

// Runs f, expecting an ApiError with this status and field.
template <class F>
void expect_api_error(F f, unsigned status, const std::string& field = "") {
    try {
        f();
        FAIL() << "expected ApiError " << status;
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), status) << e.what();
        if (!field.empty()) {
            ASSERT_TRUE(e.field().has_value()) << e.what();
            EXPECT_EQ(*e.field(), field);
        }
    }
}

}  // namespace

TEST(JsonBody, RequiresJsonContentTypeWithOptionalCharset) {
    EXPECT_NO_THROW(parse_json_object(json_request("{}", "application/json; charset=utf-8")));
    EXPECT_NO_THROW(parse_json_object(json_request("{}", "Application/JSON")));
    expect_api_error([] { parse_json_object(json_request("{}", "text/plain")); }, 415);
    expect_api_error([] { parse_json_object(json_request("{}", "application/jsonp")); }, 415);
    Request none;
    none.body = "{}";
    expect_api_error([&] { parse_json_object(none); }, 415);
}

TEST(JsonBody, MalformedEmptyAndNonObjectBodiesAre400) {
    expect_api_error([] { parse_json_object(json_request("")); }, 400);
    expect_api_error([] { parse_json_object(json_request("{\"a\":")); }, 400);
    expect_api_error([] { parse_json_object(json_request("[1,2]")); }, 400);
    expect_api_error([] { parse_json_object(json_request("\"text\"")); }, 400);
}

TEST(FieldReader, StringsAreCheckedForTypeLengthAndUtf8) {
    json::object o = json::parse(R"({"name":"Zoë","n":5,"long":"abcdef"})").as_object();
    FieldReader f(o);
    EXPECT_EQ(f.string("name", 1, 3), "Zoë");  // 3 characters, 4 bytes
    expect_api_error([&] { f.string("n", 1, 10); }, 400, "n");
    expect_api_error([&] { f.string("long", 1, 5); }, 400, "long");
    expect_api_error([&] { f.string("missing", 1, 5); }, 400, "missing");
    EXPECT_FALSE(f.optional_string("missing", 1, 5).has_value());

    json::object ctl{{"s",
                      "a\x01"
                      "b"}};
    expect_api_error([&] { FieldReader(ctl).string("s", 0, 10); }, 400, "s");
}

TEST(FieldReader, IntegersRejectFractionsStringsAndOutOfRange) {
    json::object o =
        json::parse(R"({"a":5,"b":5.0,"c":5.5,"d":"5","e":-1,"f":18446744073709551615,"g":1e300})")
            .as_object();
    FieldReader f(o);
    EXPECT_EQ(f.integer("a", 0, 10), 5);
    EXPECT_EQ(f.integer("b", 0, 10), 5);
    expect_api_error([&] { f.integer("c", 0, 10); }, 400, "c");
    expect_api_error([&] { f.integer("d", 0, 10); }, 400, "d");
    expect_api_error([&] { f.integer("e", 0, 10); }, 400, "e");
    expect_api_error([&] { f.integer("f", 0, 10); }, 400, "f");
    expect_api_error([&] { f.integer("g", 0, 10); }, 400, "g");
}

TEST(FieldReader, NumbersAndBoolsAndPrefixedNames) {
    json::object o = json::parse(R"({"gi":55.5,"flag":true,"bad":"x"})").as_object();
    FieldReader f(o, "custom.");
    EXPECT_DOUBLE_EQ(f.number("gi", 0, 110), 55.5);
    EXPECT_EQ(f.optional_bool("flag"), true);
    expect_api_error([&] { f.number("gi", 0, 50); }, 400, "custom.gi");
    expect_api_error([&] { f.optional_bool("bad"); }, 400, "custom.bad");
}

TEST(FieldReader, OnlyRejectsUnknownFields) {
    json::object o = json::parse(R"({"grams":5,"gram":6})").as_object();
    expect_api_error([&] { FieldReader(o).only({"grams"}); }, 400, "gram");
    EXPECT_NO_THROW(FieldReader(o).only({"grams", "gram"}));
}

TEST(Utf8, ValidatesEncodingAndCountsCodePoints) {
    EXPECT_TRUE(is_clean_utf8("plain ascii\tand tab"));
    EXPECT_TRUE(is_clean_utf8("h\xC3\xA9llo \xF0\x9F\x8D\x8E"));  // é and an emoji
    EXPECT_FALSE(is_clean_utf8("\xC3"));                          // truncated
    EXPECT_FALSE(is_clean_utf8("\xC0\xAF"));                      // overlong '/'
    EXPECT_FALSE(is_clean_utf8("\xED\xA0\x80"));                  // surrogate
    EXPECT_FALSE(is_clean_utf8("\xF4\x90\x80\x80"));              // past U+10FFFF
    EXPECT_FALSE(is_clean_utf8("line\nbreak"));
    EXPECT_EQ(utf8_length("h\xC3\xA9llo"), 5u);
}

TEST(JsonText, DecimalNumbersArePlainAndStringsEscaped) {
    json::value v = json::parse(
        R"({"a":10.8,"b":0.0,"c":150.0,"d":-3.25,"e":7,"f":"q\"<x>\n","g":[1.5e-7,2e20],"h":null})");
    EXPECT_EQ(
        to_json_text(v),
        R"({"a":10.8,"b":0,"c":150,"d":-3.25,"e":7,"f":"q\"<x>\n","g":[1.5e-07,2e+20],"h":null})");
    auto back = json::parse(to_json_text(v));  // still valid JSON with the same numbers
    EXPECT_DOUBLE_EQ(back.at("a").to_number<double>(), 10.8);
    EXPECT_DOUBLE_EQ(back.at("g").at(0).to_number<double>(), 1.5e-7);
}

TEST(JsonBody, DuplicateKeysAndNumbersBeyondDoubleAre400) {
    EXPECT_EQ(find_duplicate_key(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})"), std::nullopt);
    EXPECT_EQ(find_duplicate_key(R"({"a":1,"a":2})"), "a");
    EXPECT_EQ(find_duplicate_key(R"({"x":{"k":1,"y":2,"k":3}})"), "k");
    EXPECT_EQ(find_duplicate_key(R"([{"sgv":1},{"sgv":2,"sgv":3}])"), "sgv");
    // Escapes are compared decoded: "\u0061" is "a".
    EXPECT_EQ(find_duplicate_key(R"({"a":1,"\u0061":2})"), "a");
    EXPECT_FALSE(has_non_finite_number(R"({"a":1e308,"b":-1e308})"));
    EXPECT_TRUE(has_non_finite_number(R"({"a":[1,1e999]})"));
    EXPECT_TRUE(has_non_finite_number(R"({"a":-1e400})"));
    expect_api_error([] { parse_json_object(json_request(R"({"grams":1,"grams":2})")); }, 400);
    expect_api_error([] { parse_json_object(json_request(R"({"grams":1e999})")); }, 400);
    try {
        parse_json_object(json_request(R"({"meal":"lunch","meal":"dinner"})"));
        ADD_FAILURE() << "duplicate accepted";
    } catch (const glucoplay::http::ApiError& e) {
        EXPECT_EQ(e.field(), "meal");
    }
    EXPECT_NO_THROW(parse_json_object(json_request(R"({"a":{"b":1},"b":{"a":1}})")));
}

// Found by the http_request fuzz target: "/api/%admin" decodes to the byte 0xAD, which the 404
// message echoed into the JSON body as is. Ill-formed bytes are now written as U+FFFD.
TEST(JsonText, IllFormedUtf8BecomesReplacementCharacters) {
    json::object o{{"message",
                    "no such endpoint: /api/\xAD"
                    "min"},
                   {"ok", "caf\xC3\xA9 \xF0\x9F\x8D\x8E"},
                   {"bad", "\xC3(\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82"}};
    const std::string text = to_json_text(o);
    EXPECT_TRUE(is_clean_utf8(text));
    boost::system::error_code ec;
    auto back = json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    EXPECT_EQ(back.at("message").as_string(), "no such endpoint: /api/\xEF\xBF\xBDmin");
    EXPECT_EQ(back.at("ok").as_string(),
              "caf\xC3\xA9 \xF0\x9F\x8D\x8E");  // valid text untouched
    // A lone lead byte, a surrogate, a code point past U+10FFFF, a truncated sequence: one
    // U+FFFD per ill-formed byte.
    std::string want = "\xEF\xBF\xBD(";
    for (int i = 0; i < 3 + 4 + 2; ++i) want += "\xEF\xBF\xBD";
    EXPECT_EQ(back.at("bad").as_string(), want);
}

// Without doubles, the text is exactly Boost.JSON's own serialisation: integers at their limits,
// booleans, null, escapes, empty containers, and strings longer than the writer's buffer.
TEST(JsonText, WithoutDoublesItIsBoostJsonsOwnText) {
    json::object o{{"min", std::numeric_limits<std::int64_t>::min()},
                   {"max", std::numeric_limits<std::int64_t>::max()},
                   {"umax", std::numeric_limits<std::uint64_t>::max()},
                   {"zero", 0},
                   {"yes", true},
                   {"no", false},
                   {"none", nullptr},
                   {"empty", json::object{}},
                   {"list", json::array{}},
                   {"esc\"key\\", "tab\there \x01 \xC3\xA9 </script>"},
                   {"long", std::string(3000, 'x') + "\"" + std::string(700, 'y')}};
    o["nested"] = json::array{json::object{{"a", json::array{1, -2, json::array{}}}}, "s"};
    EXPECT_EQ(to_json_text(o), json::serialize(o));
}

// to_json_text writes strings, integers, booleans and null itself (issue 9: one allocation per
// value was most of a year-long food summary's time); it must stay byte for byte what Boost.JSON
// writes, and numbers with a fraction what "{}" writes, whole ones what "{:.0f}" writes.
TEST(JsonText, WriterMatchesBoostJsonOnRandomDocuments) {
    std::mt19937_64 rng(20261201);
    auto random_string = [&] {
        static const std::string pieces[] = {"a",
                                             "Z",
                                             "0",
                                             " ",
                                             "\"",
                                             "\\",
                                             "/",
                                             "\n",
                                             "\t",
                                             "\x01",
                                             "\x1f",
                                             "\x7f",
                                             "caf\xC3\xA9",
                                             "\xF0\x9F\x8D\x8E",
                                             "\xE2\x82\xAC",
                                             "\u2028"};
        std::string s;
        for (auto n = rng() % 12; n > 0; --n) s += pieces[rng() % std::size(pieces)];
        return s;
    };
    std::function<json::value(int)> random_value = [&](int depth) -> json::value {
        switch (rng() % (depth > 3 ? 5 : 7)) {
            case 0:
                return json::value(random_string());
            case 1:
                return static_cast<std::int64_t>(rng());
            case 2:
                return rng() % 2 == 0 ? json::value(std::uint64_t(rng()))
                                      : json::value(std::int64_t(rng() % 2000) - 1000);
            case 3:
                return rng() % 2 == 0;
            case 4:
                return nullptr;
            case 5: {
                json::object o;
                for (auto n = rng() % 6; n > 0; --n) o[random_string()] = random_value(depth + 1);
                return o;
            }
            default: {
                json::array a;
                for (auto n = rng() % 6; n > 0; --n) a.push_back(random_value(depth + 1));
                return a;
            }
        }
    };
    // The same document written piece by piece through JsonText (with a second writer used in
    // the middle, as a nested call would) is the same text too.
    std::function<void(JsonText&, const json::value&)> emit = [&](JsonText& out,
                                                                  const json::value& v) {
        if (v.is_object()) {
            out.begin_object();
            for (const auto& kv : v.get_object()) {
                out.key_text(std::string_view(kv.key().data(), kv.key().size()));
                emit(out, kv.value());
            }
            out.end_object();
        } else if (v.is_array()) {
            out.begin_array();
            for (const auto& e : v.get_array()) emit(out, e);
            out.end_array();
        } else if (v.is_string()) {
            out.string(std::string_view(v.get_string().data(), v.get_string().size()));
        } else if (v.is_int64()) {
            out.integer(v.get_int64());
        } else if (v.is_bool()) {
            out.boolean(v.get_bool());
        } else if (v.is_null()) {
            out.null();
        } else {
            out.value(v);  // uint64
        }
    };
    for (int i = 0; i < 2000; ++i) {
        json::value v = random_value(0);
        ASSERT_EQ(to_json_text(v), json::serialize(v));
        JsonText out;
        emit(out, v);
        EXPECT_EQ(to_json_text(v), json::serialize(v));  // a writer in the middle of another
        ASSERT_EQ(out.str(), json::serialize(v));
    }
    JsonText bad;
    bad.begin_object().key_text("a\xFF").string("b\xC3").end_object();
    EXPECT_EQ(bad.str(), "{\"a\xEF\xBF\xBD\":\"b\xEF\xBF\xBD\"}");
    for (std::int64_t extreme : {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1},
                                 std::numeric_limits<std::int64_t>::max()})
        EXPECT_EQ(to_json_text(json::value(extreme)), json::serialize(json::value(extreme)));
    EXPECT_EQ(to_json_text(json::value(std::numeric_limits<std::uint64_t>::max())),
              "18446744073709551615");

    auto reference = [](double d) {
        if (!std::isfinite(d)) return std::string("null");
        if (d == std::trunc(d) && std::fabs(d) < 1e15) return fmt::format("{:.0f}", d);
        return fmt::format("{}", d);
    };
    std::vector<double> numbers = {0.0,
                                   -0.0,
                                   1.0,
                                   -1.0,
                                   0.1,
                                   10.8,
                                   132.5,
                                   1e15,
                                   -1e15,
                                   999999999999999.0,
                                   1e15 - 0.5,
                                   1e16,
                                   1e300,
                                   -1e300,
                                   5e-324,
                                   2.2250738585072014e-308,
                                   0.30000000000000004,
                                   std::numeric_limits<double>::infinity(),
                                   std::nan("")};
    std::uniform_real_distribution<double> tenths(0, 500);
    for (int i = 0; i < 20000; ++i) {
        numbers.push_back(std::round(tenths(rng) * 10) / 10);  // what round1() gives the API
        std::uint64_t bits = rng();
        double any;
        std::memcpy(&any, &bits, sizeof any);
        numbers.push_back(any);
    }
    for (double d : numbers) {
        ASSERT_EQ(to_json_text(json::value(d)), reference(d)) << d;
        JsonText out;
        ASSERT_EQ(out.number(d).str(), reference(d)) << d;
    }
}

// Keys from the source are copied as they are (checked to need no escape when built); keys
// known only at run time are escaped like strings. Both in the same object.
TEST(JsonText, LiteralKeysAndRunTimeKeysWriteTheSameText) {
    JsonText out;
    out.begin_object().key("rank").integer(1).key_text("na\"me").string("x");
    out.key("around").begin_array().begin_object().key("user_id").integer(-7).end_object();
    out.end_array().key_text("rank2").null().end_object();
    EXPECT_EQ(out.str(), R"({"rank":1,"na\"me":"x","around":[{"user_id":-7}],"rank2":null})");
}
