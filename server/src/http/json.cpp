#include "http/json.hpp"

#include <array>
#include <charconv>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_set>
#include <vector>

#include "http/errors.hpp"

namespace glucoplay::http {

namespace json = boost::json;

namespace {

std::size_t utf8_sequence(std::string_view s, std::size_t i);

// JSON text is written into an fmt buffer rather than a std::string: its appends are inline
// (std::string's are calls into libstdc++, one per brace, comma and quote).
using TextBuffer = fmt::memory_buffer;

void append(TextBuffer& out, std::string_view s) {
    out.append(s.data(), s.data() + s.size());
}

// Bytes a string cannot be copied with as they are: control characters, '"' and '\\' (which
// Boost.JSON escapes: nothing else), and non-ASCII (checked for UTF-8 first).
constexpr std::array<bool, 256> kSpecialByte = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    return t;
}();

// Writes JSON text into `out`; remembers whether any string had bytes that are not UTF-8.
struct JsonWriter {
    TextBuffer& out;
    bool ill_formed_utf8 = false;

    void value(const json::value& v) {
        switch (v.kind()) {
            case json::kind::object: {
                out.push_back('{');
                bool first = true;
                for (const auto& kv : v.get_object()) {
                    if (!first) out.push_back(',');
                    first = false;
                    string(kv.key());
                    out.push_back(':');
                    value(kv.value());
                }
                out.push_back('}');
                break;
            }
            case json::kind::array: {
                out.push_back('[');
                bool first = true;
                for (const auto& e : v.get_array()) {
                    if (!first) out.push_back(',');
                    first = false;
                    value(e);
                }
                out.push_back(']');
                break;
            }
            case json::kind::string:
                string(v.get_string());
                break;
            case json::kind::int64:
                integer(v.get_int64());
                break;
            case json::kind::uint64:
                integer(v.get_uint64());
                break;
            case json::kind::double_:
                number(v.get_double());
                break;
            case json::kind::bool_:
                append(out, v.get_bool() ? "true" : "false");
                break;
            case json::kind::null:
                append(out, "null");
                break;
        }
    }

    // As Boost.JSON writes a string: quoted, with '"', '\\' and control characters escaped.
    // Most strings (keys, dates, names) need no escape and are copied as they are.
    void string(json::string_view s) {
        std::string_view text(s.data(), s.size());
        bool plain = true;
        for (unsigned char ch : text)
            if (kSpecialByte[ch]) {
                plain = false;
                break;
            }
        if (plain) {
            const std::size_t at = out.size();
            out.resize(at + text.size() + 2);
            char* p = out.data() + at;
            *p = '"';
            std::memcpy(p + 1, text.data(), text.size());
            p[text.size() + 1] = '"';
            return;
        }
        for (std::size_t i = 0, n = 0; i < text.size(); i += n)
            if ((n = utf8_sequence(text, i)) == 0) {
                ill_formed_utf8 = true;
                break;
            }
        append(out, json::serialize(s));
    }

    template <class Int>
    void integer(Int i) {
        // fmt's compiled format writes the digits straight into the buffer (issue 9: std::to_chars
        // into a stack buffer and append() took 170 instructions; GET /api/scores/me writes 18).
        fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), i);
    }

    void number(double d) {
        // JSON has no NaN or infinity; the API never produces them, but never emit invalid text.
        if (!std::isfinite(d)) {
            append(out, "null");
        } else if (d == std::trunc(d) && std::fabs(d) < 1e15) {
            // A whole number without a fraction, as "{:.0f}" would write it ("-0" for -0.0).
            if (d == 0 && std::signbit(d))
                append(out, "-0");
            else
                integer(static_cast<std::int64_t>(d));
        } else {
            fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), d);  // shortest round trip
        }
    }
};

// A Boost.JSON parser handler that only looks for an object with the same key twice. Boost.JSON
// keeps one of the two values silently, so a client (or a proxy that reads the first) could
// mean something other than what the server stores: such bodies are refused instead.
class DuplicateKeyFinder {
  public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    std::optional<std::string> duplicate;
    bool overflow = false;

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) {
        keys_.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, boost::system::error_code&) {
        keys_.pop_back();
        return true;
    }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, boost::system::error_code& ec) {
        key_.append(s.data(), s.size());
        auto& seen = keys_.back();
        if (!seen.insert(key_).second) {
            duplicate = key_;
            ec = json::error::syntax;  // stop parsing: one duplicate is enough to refuse
            return false;
        }
        key_.clear();
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, boost::system::error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, boost::system::error_code&) { return true; }
    bool on_double(double d, json::string_view, boost::system::error_code& ec) {
        if (std::isfinite(d)) return true;
        overflow = true;  // e.g. 1e999: Boost.JSON reads it as infinity
        ec = json::error::syntax;
        return false;
    }
    bool on_bool(bool, boost::system::error_code&) { return true; }
    bool on_null(boost::system::error_code&) { return true; }
    bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(json::string_view, boost::system::error_code&) { return true; }

  private:
    std::vector<std::unordered_set<std::string>> keys_;
    std::string key_;
};

// Length of the well-formed UTF-8 sequence at s[i] (1 to 4 bytes), or 0 when there is none there:
// a stray continuation byte, a truncated sequence, an overlong encoding, a surrogate or a value
// past U+10FFFF.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        extra = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + extra >= s.size()) return 0;
    for (std::size_t k = 1; k <= extra; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return extra + 1;
}

}  // namespace

std::optional<std::string> find_duplicate_key(std::string_view text) {
    json::basic_parser<DuplicateKeyFinder> p{json::parse_options{}};
    boost::system::error_code ec;
    p.write_some(false, text.data(), text.size(), ec);
    return p.handler().duplicate;
}

bool has_non_finite_number(std::string_view text) {
    json::basic_parser<DuplicateKeyFinder> p{json::parse_options{}};
    boost::system::error_code ec;
    p.write_some(false, text.data(), text.size(), ec);
    return p.handler().overflow;
}

namespace {

// Each thread's buffer for JSON text: it keeps its capacity from one response to the next, so a
// 200 KB document no longer grows through fresh, page-faulting allocations of 128 KB and 256 KB
// on every request; the text is copied out at its final size. Kept up to 4 MB (an export is
// bigger: it is let go).
constexpr std::size_t kKeptScratch = 4 << 20;

}  // namespace

namespace detail {
struct JsonTextBuffer {
    TextBuffer text;
    bool taken = false;
};
}  // namespace detail

namespace {
thread_local detail::JsonTextBuffer scratch;
}  // namespace

JsonText::JsonText() {
    if (scratch.taken) {
        own_ = std::make_unique<detail::JsonTextBuffer>();
        out_ = own_.get();
        return;
    }
    scratch.taken = true;
    out_ = &scratch;
    out_->text.clear();
}

JsonText::~JsonText() {
    if (own_) return;
    if (out_->text.capacity() > kKeptScratch)
        out_->text = TextBuffer();  // an export: let its memory go
    else
        out_->text.clear();
    scratch.taken = false;
}

void JsonText::separate() {
    if (after_key_)
        after_key_ = false;
    else if (!first_)
        out_->text.push_back(',');
    first_ = false;
}

JsonText& JsonText::open(char bracket) {
    separate();
    out_->text.push_back(bracket);
    first_ = true;
    return *this;
}
JsonText& JsonText::close(char bracket) {
    out_->text.push_back(bracket);
    first_ = false;
    return *this;
}
JsonText& JsonText::begin_object() {
    return open('{');
}
JsonText& JsonText::end_object() {
    return close('}');
}
JsonText& JsonText::begin_array() {
    return open('[');
}
JsonText& JsonText::end_array() {
    return close(']');
}
void JsonText::quoted(std::string_view s) {
    JsonWriter w{out_->text};
    w.string(json::string_view(s.data(), s.size()));
    ill_formed_utf8_ |= w.ill_formed_utf8;
}
JsonText& JsonText::key(JsonKey name) {
    separate();
    // "name": in one step (JsonKey has been checked to need no escape).
    const std::string_view text = name.text();
    TextBuffer& out = out_->text;
    const std::size_t at = out.size();
    out.resize(at + text.size() + 3);
    char* p = out.data() + at;
    p[0] = '"';
    std::memcpy(p + 1, text.data(), text.size());
    p[text.size() + 1] = '"';
    p[text.size() + 2] = ':';
    after_key_ = true;
    return *this;
}
JsonText& JsonText::key_text(std::string_view name) {
    separate();
    quoted(name);
    out_->text.push_back(':');
    after_key_ = true;
    return *this;
}
JsonText& JsonText::string(std::string_view s) {
    separate();
    quoted(s);
    return *this;
}
JsonText& JsonText::integer(std::int64_t i) {
    separate();
    JsonWriter{out_->text}.integer(i);
    return *this;
}
JsonText& JsonText::number(double d) {
    separate();
    JsonWriter{out_->text}.number(d);
    return *this;
}
JsonText& JsonText::boolean(bool b) {
    separate();
    append(out_->text, b ? "true" : "false");
    return *this;
}
JsonText& JsonText::null() {
    separate();
    append(out_->text, "null");
    return *this;
}
JsonText& JsonText::value(const json::value& v) {
    separate();
    JsonWriter w{out_->text};
    w.value(v);
    ill_formed_utf8_ |= w.ill_formed_utf8;
    return *this;
}

std::string JsonText::str() {
    // Boost.JSON writes a string's bytes as they are, and some strings come from a URL (decoded
    // paths and query values are bytes, not necessarily UTF-8) or from an uploaded file. JSON
    // text must be UTF-8 (RFC 8259 8.1): ill-formed bytes, which can only sit inside strings
    // since JSON's own syntax is ASCII, become U+FFFD.
    std::string_view written(out_->text.data(), out_->text.size());
    std::string text = ill_formed_utf8_ ? valid_utf8(written) : std::string(written);
    out_->text.clear();
    first_ = true;
    after_key_ = ill_formed_utf8_ = false;
    return text;
}

std::string to_json_text(const json::value& v) {
    JsonText text;
    text.value(v);
    return text.str();
}

Response json_response(unsigned status, const json::value& body) {
    return json_text_response(status, to_json_text(body));
}

Response json_text_response(unsigned status, std::string text) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = std::move(text);
    return r;
}

bool has_media_type(const Request& req, std::string_view media_type) {
    auto ct = req.header("Content-Type");
    if (!ct) return false;
    std::string_view v = *ct;
    if (auto semi = v.find(';'); semi != std::string_view::npos) v = v.substr(0, semi);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    return iequals(v, media_type);
}

json::object parse_json_object(const Request& req) {
    if (!has_media_type(req, "application/json"))
        throw ApiError::unsupported_media_type("application/json");
    if (req.body.empty())
        throw ApiError::bad_request("request body is empty; expected a JSON object");
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec) throw ApiError::bad_request("request body is not valid JSON: " + ec.message());
    if (!v.is_object()) throw ApiError::bad_request("request body must be a JSON object");
    if (has_non_finite_number(req.body))
        throw ApiError::bad_request("request body has a number too large to represent");
    if (auto key = find_duplicate_key(req.body)) {
        // Named in full in `field` only when short; never cut inside a UTF-8 sequence.
        std::string shown = *key;
        if (shown.size() > 64) {
            std::size_t cut = 64;
            while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
            shown = shown.substr(0, cut) + "...";
        }
        throw ApiError::validation(
            shown, "the key \"" + shown + "\" appears more than once in one JSON object");
    }
    return std::move(v.as_object());
}

std::string FieldReader::name(std::string_view field) const {
    return prefix_ + std::string(field);
}

const json::value* FieldReader::find(std::string_view field) const {
    auto it = obj_.find(field);
    if (it == obj_.end() || it->value().is_null()) return nullptr;
    return &it->value();
}

bool FieldReader::has(std::string_view field) const {
    return find(field) != nullptr;
}

std::optional<std::string> FieldReader::optional_string(std::string_view field, std::size_t min_len,
                                                        std::size_t max_len) const {
    const json::value* v = find(field);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw ApiError::validation(name(field), name(field) + " must be a string");
    std::string_view s = v->as_string();
    if (!is_clean_utf8(s))
        throw ApiError::validation(name(field),
                                   name(field) + " must be valid UTF-8 without control characters");
    std::size_t len = utf8_length(s);
    if (len < min_len || len > max_len)
        throw ApiError::validation(name(field), name(field) + " must be between " +
                                                    std::to_string(min_len) + " and " +
                                                    std::to_string(max_len) + " characters");
    return std::string(s);
}

std::string FieldReader::string(std::string_view field, std::size_t min_len,
                                std::size_t max_len) const {
    auto s = optional_string(field, min_len, max_len);
    if (!s) throw ApiError::validation(name(field), name(field) + " is required");
    return *s;
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view field, std::int64_t min,
                                                          std::int64_t max) const {
    const json::value* v = find(field);
    if (!v) return std::nullopt;
    std::int64_t out = 0;
    if (v->is_int64()) {
        out = v->as_int64();
    } else if (v->is_uint64()) {
        if (v->as_uint64() > static_cast<std::uint64_t>(max))
            throw ApiError::validation(name(field), name(field) + " must be between " +
                                                        std::to_string(min) + " and " +
                                                        std::to_string(max));
        out = static_cast<std::int64_t>(v->as_uint64());
    } else if (v->is_double() && std::isfinite(v->as_double()) &&
               std::trunc(v->as_double()) == v->as_double() && std::fabs(v->as_double()) < 9e15) {
        out = static_cast<std::int64_t>(v->as_double());
    } else {
        throw ApiError::validation(name(field), name(field) + " must be an integer");
    }
    if (out < min || out > max)
        throw ApiError::validation(name(field), name(field) + " must be between " +
                                                    std::to_string(min) + " and " +
                                                    std::to_string(max));
    return out;
}

std::int64_t FieldReader::integer(std::string_view field, std::int64_t min,
                                  std::int64_t max) const {
    auto v = optional_integer(field, min, max);
    if (!v) throw ApiError::validation(name(field), name(field) + " is required");
    return *v;
}

static std::string format_bound(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::optional<double> FieldReader::optional_number(std::string_view field, double min,
                                                   double max) const {
    const json::value* v = find(field);
    if (!v) return std::nullopt;
    if (!v->is_number()) throw ApiError::validation(name(field), name(field) + " must be a number");
    double d = v->to_number<double>();
    if (!std::isfinite(d) || d < min || d > max)
        throw ApiError::validation(
            name(field),
            name(field) + " must be between " + format_bound(min) + " and " + format_bound(max));
    return d;
}

double FieldReader::number(std::string_view field, double min, double max) const {
    auto v = optional_number(field, min, max);
    if (!v) throw ApiError::validation(name(field), name(field) + " is required");
    return *v;
}

std::optional<bool> FieldReader::optional_bool(std::string_view field) const {
    const json::value* v = find(field);
    if (!v) return std::nullopt;
    if (!v->is_bool())
        throw ApiError::validation(name(field), name(field) + " must be true or false");
    return v->as_bool();
}

void FieldReader::only(std::initializer_list<std::string_view> allowed) const {
    for (const auto& kv : obj_) {
        bool ok = false;
        for (auto a : allowed) ok = ok || kv.key() == a;
        if (!ok) throw ApiError::validation(name(kv.key()), "unknown field " + name(kv.key()));
    }
}

static std::optional<std::int64_t> positive_integer(const std::string& s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v <= 0) return std::nullopt;
    return v;
}

std::int64_t id_param(const Request& req, const std::string& name) {
    auto v = positive_integer(req.param(name));
    if (!v) throw ApiError::not_found("not found");
    return *v;
}

std::int64_t cursor_param(const Request& req) {
    auto cursor = req.query_param("cursor");
    if (!cursor || cursor->empty()) return 0;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), v);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || v < 0)
        throw ApiError::validation("cursor", "cursor is not one this API returned");
    return v;
}

std::int64_t limit_param(const Request& req, std::int64_t fallback, std::int64_t max) {
    auto text = req.query_param("limit");
    if (!text) return fallback;
    auto v = positive_integer(*text);
    if (!v || *v > max)
        throw ApiError::validation("limit",
                                   "limit must be a whole number from 1 to " + std::to_string(max));
    return *v;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool is_clean_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
        std::size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER for each ill-formed byte
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

}  // namespace glucoplay::http
