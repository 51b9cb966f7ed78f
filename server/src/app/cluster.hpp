#pragma once

// Several `glucoplay serve` instances on one PostgreSQL database (issue 8):
//   - live events reach every instance's streams: events::PgBridge (LISTEN/NOTIFY);
//   - the sign-in/sign-up rate limits (and, with --shared-rate-limits all, the per-address request
//     limit) are buckets in the database: auth::SharedRateLimiter;
//   - each scheduled job runs on one instance: notifications::JobLocks as the scheduler's gate.
// Token revocation needs nothing here: every authenticated request looks its session row up.
// On SQLite none of this is started: an embedded database serves one machine, so limits and
// events stay in the process (two processes on one file share data, not events or limits).

#include <map>
#include <memory>
#include <string>

#include "app/app.hpp"
#include "events/pg_bridge.hpp"
#include "notifications/job_locks.hpp"

namespace glucoplay::app {

// Creates ctx's three rate limiters for its configuration and database (make_context).
void make_rate_limiters(AppContext& ctx);

class Cluster {
  public:
    // PostgreSQL: starts the event bridge (waiting until it listens, so the first client misses
    // nothing) and gates ctx.scheduler with job locks. Call after the scheduler exists and before
    // the listeners open. A no-op on SQLite.
    explicit Cluster(AppContext& ctx);
    ~Cluster() { stop(); }
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    void stop();
    // The /metrics figures of the bridge and the scheduler's gate.
    std::map<std::string, double> gauges() const;

  private:
    AppContext& ctx_;
    std::unique_ptr<events::PgBridge> bridge_;
    std::shared_ptr<notifications::JobLocks> locks_;
};

}  // namespace glucoplay::app
