#pragma once

// Numbered SQL migrations, applied once each and recorded in schema_migrations.
// Files: NNN_name.sql (both dialects), or NNN_name.sqlite.sql / NNN_name.postgres.sql where the
// dialects differ. Shared scripts write `id {{id_pk}}` for an auto-numbered key and `{{real}}` for
// a double (SQLite REAL, PostgreSQL DOUBLE PRECISION; see Migration::sql_for); timestamps are
// BIGINT unix seconds and booleans INTEGER 0/1, which both dialects store the same way. They are
// compiled into the binary (embedded_migration_files()).

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/embedded_files.hpp"

namespace glucoplay::storage {

struct Migration {
    int version = 0;
    std::string name;
    std::string common;    // NNN_name.sql
    std::string sqlite;    // NNN_name.sqlite.sql
    std::string postgres;  // NNN_name.postgres.sql
    // The script for a dialect, with {{id_pk}} and {{real}} expanded to that dialect's spelling;
    // throws if the migration has none for it.
    std::string sql_for(Dialect d) const;
};

// Groups files by version, checks names are well-formed and versions unique. Throws on error.
std::vector<Migration> parse_migrations(const std::vector<EmbeddedFile>& files);
const std::vector<Migration>& builtin_migrations();

struct MigrationReport {
    std::vector<int> applied;  // versions applied by this call
    int current = 0;           // schema version afterwards
};

// Applies every migration newer than the database's version, each in its own transaction with
// its schema_migrations row. Refuses a database whose version is newer than this binary knows.
MigrationReport migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace glucoplay::storage
