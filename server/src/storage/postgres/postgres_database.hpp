#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace glucoplay::storage {

// PostgreSQL behind the Database interface, on libpq. `url` is a libpq connection URI
// (postgres://user:pass@host:port/dbname?options); connect_timeout defaults to 5 s.
// - `?` placeholders become $1..$n (pg::rewrite_placeholders); each statement is prepared once
//   per connection and parameter-type combination, parameters travel as text.
// - Results come back as int64 (integer, boolean, whole numeric), double (float, numeric) or text.
// - SQLSTATE 23505 -> UniqueViolation, 23503 -> ForeignKeyViolation, a lost or refused
//   connection (class 08, 57P01-57P03, 53300) -> DbUnavailable; a connection that failed that
//   way reports healthy() == false, so the pool drops it and the next acquire reconnects.
// - begin() also takes one transaction-scoped advisory lock, so write transactions run one at a
//   time as with SQLite's BEGIN IMMEDIATE (services rely on that for read-check-write rules).
std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& options);

// The key of that advisory lock (pg_advisory_xact_lock), for tools that must not interleave
// with application transactions.
inline constexpr std::int64_t kWriteLockKey = 0x676c7563'6f706c61;  // "glucopla"

}  // namespace glucoplay::storage
