#pragma once

// Copies a whole GlucoPlay database from SQLite to PostgreSQL (`glucoplay migrate-data`).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace glucoplay::storage {

struct TableCopy {
    std::string table;
    std::int64_t source_rows = 0;
    std::int64_t target_rows = 0;
};

struct CopyReport {
    std::vector<TableCopy> tables;  // in the order copied (parents before children)
};

// Copies every table of `from` (SQLite) into `to` (PostgreSQL):
// - migrates `to` first and requires both at the same schema version;
// - refuses (DbError) a target holding any rows beyond what migrations and seeding put there
//   (app_meta, foods, schema_migrations) unless `force`, which deletes the target's rows first;
// - reads one consistent snapshot of the source; copies tables in foreign-key order, in
//   transactions of up to 1000 rows; resets each identity column's sequence past the largest id;
// - verifies every table's row count afterwards (DbError on a mismatch).
// `progress` (optional) is called after each batch with the table and rows copied so far.
CopyReport copy_database(
    Database& from, Database& to, bool force,
    const std::function<void(const std::string&, std::int64_t)>& progress = {});

// Table names of a database (not its internal ones), on either dialect.
std::vector<std::string> list_tables(Connection& c);

}  // namespace glucoplay::storage
