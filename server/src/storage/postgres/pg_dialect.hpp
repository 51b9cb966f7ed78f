#pragma once

// The pure, libpq-free parts of the PostgreSQL store, kept apart so they have unit tests:
// rewriting `?` placeholders to $1..$n, and turning a result cell (type OID + text) into a Value.

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace glucoplay::storage::pg {

struct RewrittenSql {
    std::string sql;         // with $1..$n
    std::size_t params = 0;  // n
};

// Replaces each `?` outside string literals ('...', E'...'), quoted identifiers ("..."),
// dollar-quoted strings ($tag$...$tag$) and comments (-- and /* */) with $1, $2, ... in order.
// PostgreSQL's jsonb `?` operators cannot be written through this interface (use
// jsonb_exists()).
RewrittenSql rewrite_placeholders(std::string_view sql);

// Type OIDs we map (from PostgreSQL's pg_type.dat; stable across versions).
namespace oid {
inline constexpr unsigned kBool = 16;
inline constexpr unsigned kInt8 = 20;
inline constexpr unsigned kInt2 = 21;
inline constexpr unsigned kInt4 = 23;
inline constexpr unsigned kText = 25;
inline constexpr unsigned kOid = 26;
inline constexpr unsigned kFloat4 = 700;
inline constexpr unsigned kFloat8 = 701;
inline constexpr unsigned kNumeric = 1700;
}  // namespace oid

// A non-NULL cell in text format: integers and booleans (as 0/1) become int64, float4/float8
// become double, numeric becomes int64 when it is a whole number that fits (SUM of integers)
// and double otherwise; everything else is text. Throws DbError on a malformed number.
Value decode_text_value(unsigned type_oid, std::string_view text);
// True when decode_text_value gives a column of this type back as its text, unchanged.
bool decodes_to_text(unsigned type_oid);

// A parameter in text format, and the type OID it is sent with: int64 as int8, double as
// float8 (shortest round-trip form), text and NULL as "unknown" (0) so PostgreSQL infers them
// from context. `type_code` is one character per kind ('i', 'd', 't', 'n') for the statement
// cache key, since a statement is prepared for one combination of parameter types.
struct EncodedParam {
    std::string text;
    unsigned type_oid = 0;
    bool is_null = false;
    char type_code = 'n';
};
EncodedParam encode_param(const Value& v);

}  // namespace glucoplay::storage::pg
