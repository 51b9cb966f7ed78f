#pragma once

// Which database the API tests run against, and one database per test data directory.
//   GLUCOPLAY_TEST_DIALECT=sqlite (or unset, with no GLUCOPLAY_TEST_POSTGRES): SQLite, the file
//     DIR/glucoplay.db that `--data-dir DIR` picks by default.
//   GLUCOPLAY_TEST_POSTGRES=postgres://USER@HOST:PORT/postgres (scripts/pg-test-cluster sets it)
//     and GLUCOPLAY_TEST_DIALECT unset or "postgres": each data directory gets a newly created
//     PostgreSQL database (a copy of a migrated template, so a server starts as fast as on
//     SQLite), passed to the processes started there as GLUCOPLAY_DATABASE and dropped when the
//     ServerProcess owning the directory ends, or when the test process exits.
// ctest registers the API tests once per dialect (labels `api` and `postgres`).

#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace glucoplay::testing {

bool testing_postgres();
// "sqlite" or "postgres": what /api/health should report.
std::string test_dialect_name();

// The database URL for processes whose data directory is `dir` (see above). With PostgreSQL the
// database is created on first use; `empty` creates it without the schema (for init-db tests).
std::string database_url_for(const std::filesystem::path& dir, bool empty = false);
// Drops the PostgreSQL database made for `dir`, if any (no-op on SQLite).
void drop_database_for(const std::filesystem::path& dir);

// Opens the database a server started in `dir` uses, for tests that look at rows directly.
std::unique_ptr<storage::Database> open_test_database(const std::filesystem::path& dir);

// The names of the application's tables (schema_migrations included), on either dialect.
std::vector<std::string> table_names(storage::Connection& c);
// The column names of one table, on either dialect.
std::vector<std::string> column_names(storage::Connection& c, const std::string& table);

// A fresh, empty PostgreSQL database URL not tied to a directory (dropped at exit); throws
// when not testing PostgreSQL.
std::string create_scratch_postgres_database();

}  // namespace glucoplay::testing
