#pragma once

// Which instance runs each scheduled job, with several instances on one PostgreSQL database:
// the one holding the job's session-level advisory lock (pg_try_advisory_lock) on a dedicated
// connection. The holder keeps it while it lives, so every round exactly one instance runs the
// job and the others skip it; when the holder dies or loses its connection, the server releases
// the lock and the next instance to try takes over. The jobs stay idempotent (dedupe keys), so a
// moment of overlap (a holder that lost its connection but has not noticed yet) repeats work
// without duplicating a notification.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "storage/database.hpp"

namespace glucoplay::notifications {

class JobLocks {
  public:
    // Opens its own connection to `url` (throws DbUnavailable).
    explicit JobLocks(const std::string& url);
    // True when this instance holds (or has just taken) `job`'s lock. Throws storage::DbError
    // when the database cannot be reached (the scheduler counts a failure and tries next round).
    bool acquire(const std::string& job);

    // The advisory lock's two keys: "gluc" and a 32-bit FNV-1a hash of the job's name.
    static std::pair<std::int32_t, std::int32_t> lock_key(const std::string& job);

  private:
    std::unique_ptr<storage::Database> db_;
    std::optional<storage::Database::Lease> conn_;  // the session the locks belong to
    std::set<std::string> held_;
};

}  // namespace glucoplay::notifications
