// The PostgreSQL store's pure parts: `?` -> $n rewriting and the text/type mapping. (The store
// against a live server is tested in tests/api/postgres_test.cpp.)

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres/pg_dialect.hpp"

using namespace glucoplay::storage;
using namespace glucoplay::storage::pg;

TEST(PgPlaceholders, NumbersEachQuestionMarkInOrder) {
    auto r = rewrite_placeholders("SELECT a FROM t WHERE b = ? AND c > ? LIMIT ? OFFSET ?");
    EXPECT_EQ(r.sql, "SELECT a FROM t WHERE b = $1 AND c > $2 LIMIT $3 OFFSET $4");
    EXPECT_EQ(r.params, 4u);
    EXPECT_EQ(rewrite_placeholders("SELECT 1").params, 0u);
    EXPECT_EQ(rewrite_placeholders("VALUES (?,?)").sql, "VALUES ($1,$2)");
}

TEST(PgPlaceholders, LeavesStringLiteralsAndIdentifiersAlone) {
    auto r = rewrite_placeholders("SELECT '?', 'it''s ?', \"odd?\"\"name\" FROM t WHERE x = ?");
    EXPECT_EQ(r.sql, "SELECT '?', 'it''s ?', \"odd?\"\"name\" FROM t WHERE x = $1");
    EXPECT_EQ(r.params, 1u);
    // E'' strings escape with a backslash: \' does not end the literal.
    r = rewrite_placeholders("SELECT E'a\\'?', ? , e'\\\\', ?");
    EXPECT_EQ(r.sql, "SELECT E'a\\'?', $1 , e'\\\\', $2");
    // A standard string ending in a backslash does end there (standard_conforming_strings).
    r = rewrite_placeholders("SELECT 'a\\', ?");
    EXPECT_EQ(r.sql, "SELECT 'a\\', $1");
    // An identifier ending in e before a quote is not an E'' prefix.
    r = rewrite_placeholders("SELECT name'?' , ?");
    EXPECT_EQ(r.params, 1u);
}

TEST(PgPlaceholders, LeavesCommentsAndDollarQuotesAlone) {
    auto r = rewrite_placeholders(
        "SELECT ? -- why?\n, /* what? /* nested? */ still? */ ?, $$?$$, $tag$ '? $$ $tag$, ?");
    EXPECT_EQ(r.sql,
              "SELECT $1 -- why?\n, /* what? /* nested? */ still? */ $2, $$?$$, $tag$ '? $$ "
              "$tag$, $3");
    EXPECT_EQ(r.params, 3u);
}

TEST(PgPlaceholders, UnterminatedLiteralsDoNotOverrun) {
    EXPECT_EQ(rewrite_placeholders("SELECT 'abc?").sql, "SELECT 'abc?");
    EXPECT_EQ(rewrite_placeholders("SELECT \"abc?").params, 0u);
    EXPECT_EQ(rewrite_placeholders("SELECT /* ?").params, 0u);
    EXPECT_EQ(rewrite_placeholders("SELECT $x$ ?").params, 0u);
    EXPECT_EQ(rewrite_placeholders("SELECT E'\\").params, 0u);
}

TEST(PgTypes, IntegersAndBooleansBecomeInt64) {
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kInt8, "-9223372036854775808")),
              std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kInt4, "42")), 42);
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kInt2, "-7")), -7);
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kBool, "t")), 1);
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kBool, "f")), 0);
    EXPECT_THROW(decode_text_value(oid::kInt8, "12x"), DbError);
    EXPECT_THROW(decode_text_value(oid::kInt8, "99999999999999999999"), DbError);
}

TEST(PgTypes, FloatsBecomeDoubleAndNumericIsIntegerWhenWhole) {
    EXPECT_DOUBLE_EQ(std::get<double>(decode_text_value(oid::kFloat8, "0.1")), 0.1);
    EXPECT_DOUBLE_EQ(std::get<double>(decode_text_value(oid::kFloat4, "1.5")), 1.5);
    EXPECT_DOUBLE_EQ(std::get<double>(decode_text_value(oid::kFloat8, "1e-05")), 1e-05);
    EXPECT_TRUE(std::isnan(std::get<double>(decode_text_value(oid::kFloat8, "NaN"))));
    EXPECT_EQ(std::get<double>(decode_text_value(oid::kFloat8, "-Infinity")),
              -std::numeric_limits<double>::infinity());
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kNumeric, "123456789012")),
              123456789012);
    EXPECT_EQ(std::get<std::int64_t>(decode_text_value(oid::kNumeric, "12.000")), 12);
    EXPECT_DOUBLE_EQ(std::get<double>(decode_text_value(oid::kNumeric, "2.5")), 2.5);
    EXPECT_THROW(decode_text_value(oid::kFloat8, "abc"), DbError);
}

TEST(PgTypes, OtherTypesStayText) {
    EXPECT_EQ(std::get<std::string>(decode_text_value(oid::kText, "héllo ?")), "héllo ?");
    EXPECT_EQ(std::get<std::string>(decode_text_value(1184, "2026-11-27 20:00:00+00")),
              "2026-11-27 20:00:00+00");
}

TEST(PgTypes, DecodesToTextAgreesWithTheDecoder) {
    // The streamed row reads a text cell in place exactly when the decoder would copy it as is.
    for (unsigned type :
         {oid::kBool, oid::kInt2, oid::kInt4, oid::kInt8, oid::kOid, oid::kText, oid::kFloat4,
          oid::kFloat8, oid::kNumeric, 1043u /* varchar */, 1114u /* timestamp */, 17u /* bytea */})
        EXPECT_EQ(decodes_to_text(type),
                  std::holds_alternative<std::string>(decode_text_value(type, "1")))
            << "type " << type;
}

TEST(PgTypes, ParametersCarryTheirKind) {
    auto i = encode_param(std::int64_t{-5});
    EXPECT_EQ(i.text, "-5");
    EXPECT_EQ(i.type_oid, oid::kInt8);
    EXPECT_EQ(i.type_code, 'i');
    auto d = encode_param(0.1);
    EXPECT_EQ(d.text, "0.1");  // shortest form that reads back as the same double
    EXPECT_EQ(d.type_oid, oid::kFloat8);
    EXPECT_EQ(std::get<double>(decode_text_value(oid::kFloat8, encode_param(1.0 / 3).text)),
              1.0 / 3);
    EXPECT_EQ(encode_param(std::numeric_limits<double>::infinity()).text, "Infinity");
    auto t = encode_param(std::string("x'; DROP TABLE t; --"));
    EXPECT_EQ(t.text, "x'; DROP TABLE t; --");
    EXPECT_EQ(t.type_oid, 0u);  // inferred by the server from context
    auto n = encode_param(nullptr);
    EXPECT_TRUE(n.is_null);
    EXPECT_EQ(n.type_code, 'n');
}

TEST(PgDialect, MigrationPlaceholdersExpandPerDialect) {
    Migration m;
    m.version = 1;
    m.name = "t";
    m.common = "CREATE TABLE t (id {{id_pk}}, x {{real}}, y {{real}});";
    EXPECT_EQ(m.sql_for(Dialect::sqlite),
              "CREATE TABLE t (id INTEGER PRIMARY KEY, x REAL, y REAL);");
    EXPECT_EQ(m.sql_for(Dialect::postgres),
              "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x DOUBLE "
              "PRECISION, y DOUBLE PRECISION);");
    m.common = "CREATE {{unlogged}} TABLE u (k TEXT);";
    EXPECT_EQ(m.sql_for(Dialect::sqlite), "CREATE  TABLE u (k TEXT);");
    EXPECT_EQ(m.sql_for(Dialect::postgres), "CREATE UNLOGGED TABLE u (k TEXT);");
}

TEST(PgDialect, UrlsAreRecognisedAndPasswordsRedacted) {
    EXPECT_TRUE(is_postgres_url("postgres://h/db"));
    EXPECT_TRUE(is_postgres_url("postgresql://h/db"));
    EXPECT_FALSE(is_postgres_url("sqlite:/tmp/x.db"));
    EXPECT_EQ(redact_url("postgres://gp:s3cret@db:5432/gp"), "postgres://gp:***@db:5432/gp");
    EXPECT_EQ(redact_url("postgres://gp@db/gp?password=s3cret&sslmode=require"),
              "postgres://gp@db/gp?password=***&sslmode=require");
    EXPECT_EQ(redact_url("postgres://db/gp"), "postgres://db/gp");
    EXPECT_EQ(redact_url("sqlite:/tmp/a:b@c.db"), "sqlite:/tmp/a:b@c.db");
}
