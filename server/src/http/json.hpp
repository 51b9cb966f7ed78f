#pragma once

// JSON responses and request-body reading with validation errors that name the field.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace glucoplay::http {

Response json_response(unsigned status, const boost::json::value& body);
// A response whose body is JSON text already written (JsonText below).
Response json_text_response(unsigned status, std::string text);

// The JSON text of a value, as Boost.JSON writes it except that numbers with a fraction are
// written in plain decimal ("10.8", not Boost's "1.08E1") so every client and log reads them
// naturally. Strings and keys are still escaped by Boost.JSON; bytes that are not well-formed
// UTF-8 are written as U+FFFD, so the text is always valid JSON.
std::string to_json_text(const boost::json::value& v);

namespace detail {
struct JsonTextBuffer;
}

// An object key written in the program's source: checked when the program is built to need no
// escaping (ASCII without control characters, '"' or '\\'), so JsonText copies it as it is.
class JsonKey {
  public:
    template <std::size_t N>
    consteval JsonKey(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
        : text_(literal, N - 1) {
        for (char c : text_) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\')
                throw "a JSON key literal must not need escaping";  // a compile error
        }
    }
    std::string_view text() const { return text_; }

  private:
    std::string_view text_;
};

// JSON text written as it is produced, in to_json_text's form (the same string escapes, number
// formats and repair of ill-formed UTF-8), for documents too large to build as a json::value
// first: a year of food-log days is 200 KB of text but some 15 000 values. The writer places
// the commas; a key is followed by exactly one value (a scalar, or an object or array).
class JsonText {
  public:
    JsonText();
    ~JsonText();
    JsonText(const JsonText&) = delete;
    JsonText& operator=(const JsonText&) = delete;

    JsonText& begin_object();
    JsonText& end_object();
    JsonText& begin_array();
    JsonText& end_array();
    JsonText& key(JsonKey name);
    // A key known only at run time (escaped like a string).
    JsonText& key_text(std::string_view name);
    JsonText& string(std::string_view s);
    JsonText& integer(std::int64_t i);
    JsonText& number(double d);
    JsonText& boolean(bool b);
    JsonText& null();
    JsonText& value(const boost::json::value& v);
    // The text so far (always valid UTF-8); the writer starts again empty.
    std::string str();

  private:
    void separate();
    JsonText& open(char bracket);
    JsonText& close(char bracket);
    void quoted(std::string_view s);  // a key's or string's text, escaped

    // This thread's scratch buffer, or own_ while another writer has the scratch one.
    detail::JsonTextBuffer* out_;
    std::unique_ptr<detail::JsonTextBuffer> own_;
    bool first_ = true, after_key_ = false, ill_formed_utf8_ = false;
};

// True when the request's Content-Type names `media_type` (parameters such as charset ignored).
bool has_media_type(const Request& req, std::string_view media_type);

// Parses the request body as a JSON object. Throws ApiError 415 when the Content-Type is not
// application/json, 400 when the body is empty, malformed, or not an object.
boost::json::object parse_json_object(const Request& req);

// The first key that appears twice in one object of this JSON text, if any (the text is
// assumed to be valid JSON; parse it first). parse_json_object refuses such bodies with 400.
std::optional<std::string> find_duplicate_key(std::string_view text);
// True when valid JSON text has a number outside the double range (1e999 parses as infinity).
bool has_non_finite_number(std::string_view text);

// Reads typed fields from a JSON object; every failure is a 400 naming the field.
class FieldReader {
  public:
    explicit FieldReader(const boost::json::object& obj, std::string prefix = "")
        : obj_(obj), prefix_(std::move(prefix)) {}

    bool has(std::string_view field) const;
    std::string string(std::string_view field, std::size_t min_len, std::size_t max_len) const;
    std::optional<std::string> optional_string(std::string_view field, std::size_t min_len,
                                               std::size_t max_len) const;
    std::int64_t integer(std::string_view field, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> optional_integer(std::string_view field, std::int64_t min,
                                                 std::int64_t max) const;
    double number(std::string_view field, double min, double max) const;
    std::optional<double> optional_number(std::string_view field, double min, double max) const;
    std::optional<bool> optional_bool(std::string_view field) const;
    // Rejects fields not in `allowed` (catches typos such as "gram" for "grams").
    void only(std::initializer_list<std::string_view> allowed) const;

    std::string name(std::string_view field) const;

  private:
    const boost::json::value* find(std::string_view field) const;
    const boost::json::object& obj_;
    std::string prefix_;
};

// The route parameter `name` as a positive integer id; anything else is a 404 (no such record).
std::int64_t id_param(const Request& req, const std::string& name = "id");
// ?limit= for lists: default `fallback`, 1..max, else 400 naming "limit".
std::int64_t limit_param(const Request& req, std::int64_t fallback = 50, std::int64_t max = 500);
// ?cursor= for lists paged by id: 0 when absent, else the id a previous page returned as
// next_cursor; anything else is a 400 naming "cursor".
std::int64_t cursor_param(const Request& req);

// Number of Unicode code points in valid UTF-8 text.
std::size_t utf8_length(std::string_view s);
// True when `s` is well-formed UTF-8 without NUL or other C0 control characters except tab.
bool is_clean_utf8(std::string_view s);
// `s` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace glucoplay::http
