#include "notifications/job_locks.hpp"

#include <spdlog/spdlog.h>

namespace glucoplay::notifications {

JobLocks::JobLocks(const std::string& url) {
    storage::DatabaseOptions o;
    o.pool_size = 1;
    db_ = storage::open_database(url, o);
}

std::pair<std::int32_t, std::int32_t> JobLocks::lock_key(const std::string& job) {
    std::uint32_t h = 2166136261u;
    for (unsigned char ch : job) h = (h ^ ch) * 16777619u;
    return {0x676c7563, static_cast<std::int32_t>(h)};  // "gluc"
}

bool JobLocks::acquire(const std::string& job) {
    if (conn_ && !held_.empty()) {
        // Still the same session? A lost connection took every lock with it.
        try {
            (*conn_)->query("SELECT 1");
        } catch (const storage::DbError& e) {
            spdlog::warn("scheduler: lost the connection holding the job locks: {}", e.what());
            conn_.reset();  // an unhealthy connection is dropped by the pool
            held_.clear();
        }
    }
    if (held_.count(job)) return true;
    if (!conn_) conn_.emplace(db_->acquire());
    auto [k1, k2] = lock_key(job);
    bool got = false;
    try {
        got = (*conn_)
                  ->query("SELECT pg_try_advisory_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))",
                          {std::int64_t{k1}, std::int64_t{k2}})
                  .rows.at(0)
                  .int64(0) == 1;
    } catch (const storage::DbError&) {
        conn_.reset();
        held_.clear();
        throw;
    }
    if (got) {
        held_.insert(job);
        spdlog::info("scheduler: this instance runs {} (it holds the job's lock)", job);
    }
    return got;
}

}  // namespace glucoplay::notifications
