#include "storage/postgres/pg_dialect.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace glucoplay::storage::pg {

namespace {

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// At sql[i] == '$': the length of a dollar-quote tag ("$$" or "$name$"), or 0 if this `$` does
// not open one (e.g. "$1" is a parameter, and a tag cannot start with a digit).
std::size_t dollar_tag_length(std::string_view sql, std::size_t i) {
    std::size_t j = i + 1;
    if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;
    while (j < sql.size() && ident_char(sql[j])) ++j;
    if (j < sql.size() && sql[j] == '$') return j - i + 1;
    return 0;
}

}  // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
    RewrittenSql out;
    out.sql.reserve(sql.size() + 16);
    std::size_t i = 0;
    const std::size_t n = sql.size();
    auto copy_until = [&](std::size_t end) {
        out.sql.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < n) {
        char c = sql[i];
        if (c == '\'') {
            // E'...' strings treat backslash as an escape; standard strings only double quotes.
            bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !ident_char(sql[i - 2]));
            std::size_t j = i + 1;
            while (j < n) {
                if (escapes && sql[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (sql[j] == '\'') {
                    if (j + 1 < n && sql[j + 1] == '\'') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            copy_until(std::min(n, j + 1));
        } else if (c == '"') {
            std::size_t j = i + 1;
            while (j < n) {
                if (sql[j] == '"') {
                    if (j + 1 < n && sql[j + 1] == '"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            copy_until(std::min(n, j + 1));
        } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            std::size_t j = sql.find('\n', i);
            copy_until(j == std::string_view::npos ? n : j);
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            // Block comments nest in PostgreSQL.
            std::size_t j = i + 2;
            int depth = 1;
            while (j < n && depth > 0) {
                if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
                    ++depth;
                    j += 2;
                } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
                    --depth;
                    j += 2;
                } else {
                    ++j;
                }
            }
            copy_until(j);
        } else if (c == '$' && (i == 0 || !ident_char(sql[i - 1])) && dollar_tag_length(sql, i)) {
            std::size_t len = dollar_tag_length(sql, i);
            std::string_view tag = sql.substr(i, len);
            std::size_t close = sql.find(tag, i + len);
            copy_until(close == std::string_view::npos ? n : close + len);
        } else if (c == '?') {
            out.sql += '$';
            out.sql += std::to_string(++out.params);
            ++i;
        } else {
            out.sql += c;
            ++i;
        }
    }
    return out;
}

bool decodes_to_text(unsigned type_oid) {
    switch (type_oid) {
        case oid::kBool:
        case oid::kInt2:
        case oid::kInt4:
        case oid::kInt8:
        case oid::kOid:
        case oid::kFloat4:
        case oid::kFloat8:
        case oid::kNumeric:
            return false;
        default:
            return true;
    }
}

Value decode_text_value(unsigned type_oid, std::string_view text) {
    auto parse_int = [&](std::string_view s) -> std::optional<std::int64_t> {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
        return v;
    };
    auto parse_double = [&](std::string_view s) -> double {
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
        double v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size())
            throw DbError("malformed number from PostgreSQL: " + std::string(s));
        return v;
    };
    switch (type_oid) {
        case oid::kBool:
            return std::int64_t{text == "t" ? 1 : 0};
        case oid::kInt2:
        case oid::kInt4:
        case oid::kInt8:
        case oid::kOid: {
            if (auto v = parse_int(text)) return *v;
            throw DbError("malformed integer from PostgreSQL: " + std::string(text));
        }
        case oid::kFloat4:
        case oid::kFloat8:
            return parse_double(text);
        case oid::kNumeric: {
            if (auto v = parse_int(text)) return *v;
            // A whole number with a zero fraction ("12.000") is still an integer.
            if (auto dot = text.find('.');
                dot != std::string_view::npos && text.find_first_not_of('0', dot + 1) == text.npos)
                if (auto v = parse_int(text.substr(0, dot))) return *v;
            return parse_double(text);
        }
        default:
            return std::string(text);
    }
}

EncodedParam encode_param(const Value& v) {
    EncodedParam p;
    if (std::holds_alternative<std::nullptr_t>(v)) {
        p.is_null = true;
        p.type_code = 'n';
    } else if (auto i = std::get_if<std::int64_t>(&v)) {
        p.text = std::to_string(*i);
        p.type_oid = oid::kInt8;
        p.type_code = 'i';
    } else if (auto d = std::get_if<double>(&v)) {
        if (std::isnan(*d)) {
            p.text = "NaN";
        } else if (std::isinf(*d)) {
            p.text = *d > 0 ? "Infinity" : "-Infinity";
        } else {
            char buf[64];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
            p.text.assign(buf, end);
        }
        p.type_oid = oid::kFloat8;
        p.type_code = 'd';
    } else {
        p.text = std::get<std::string>(v);
        p.type_code = 't';
    }
    return p;
}

}  // namespace glucoplay::storage::pg
