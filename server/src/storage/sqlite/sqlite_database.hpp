#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace glucoplay::storage {

// SQLite behind the Database interface: WAL journal, foreign keys on, a busy timeout, writes in
// BEGIN IMMEDIATE transactions (so two writers queue instead of deadlocking on upgrade).
// Creates the file and its directory when missing.
std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace glucoplay::storage
