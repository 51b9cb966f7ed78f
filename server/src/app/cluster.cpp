#include "app/cluster.hpp"

#include <spdlog/spdlog.h>

#include "auth/authenticator.hpp"
#include "auth/shared_rate_limiter.hpp"
#include "games/rank_events.hpp"

namespace glucoplay::app {

void make_rate_limiters(AppContext& ctx) {
    const Config& cfg = ctx.config;
    const bool postgres = ctx.db->dialect() == storage::Dialect::postgres;
    auto make = [&](const char* name, const std::string& spec,
                    bool shared) -> std::unique_ptr<auth::RateLimiter> {
        if (postgres && shared)
            return std::make_unique<auth::SharedRateLimiter>(
                *ctx.db, name, auth::parse_rate_spec(spec), cfg.jwt_secret);
        return std::make_unique<auth::MemoryRateLimiter>(auth::parse_rate_spec(spec));
    };
    ctx.requests_per_address = make("requests", cfg.rate_limit, cfg.shared_rate_limits == "all");
    ctx.auth_per_address = make("auth", cfg.auth_rate_limit, true);
    ctx.login_per_user = make("login", cfg.login_rate_limit, true);
}

Cluster::Cluster(AppContext& ctx) : ctx_(ctx) {
    if (ctx.db->dialect() != storage::Dialect::postgres) return;
    locks_ = std::make_shared<notifications::JobLocks>(ctx.config.database);
    ctx.scheduler->set_gate(
        [locks = locks_](const std::string& job) { return locks->acquire(job); });

    bridge_ = std::make_unique<events::PgBridge>(ctx.hub, ctx.config.database);
    // While the listener was reconnecting, other instances' messages went past unseen.
    bridge_->on_reconnect([&ctx] {
        // Notification streams end; their clients reconnect with Last-Event-ID and read what
        // they missed from the database (as a client too slow for its queue does).
        ctx.hub.close_topics("user:");
        // So may sessions (a logout elsewhere): check each in the database again.
        ctx.hub.publish_remote(auth::Authenticator::session_topic(),
                               events::Message{"reload", "{}", std::nullopt});
        // Names and cached leaderboards may have changed meanwhile: read them again.
        ctx.hub.publish_remote(games::GameService::profile_topic(),
                               games::GameService::profile_reload());
        for (const auto& game : games::kGames) {
            // Ranks and leaderboards are read again from the database.
            ctx.hub.publish_remote(games::rank_topic(game), games::rank_reload_message());
            ctx.hub.publish_remote(games::GameService::topic(game),
                                   ctx.games->leaderboard_event(game));
        }
    });
    bridge_->start();
    spdlog::info("events: shared with the other instances through PostgreSQL (origin {})",
                 bridge_->origin());
}

void Cluster::stop() {
    if (bridge_) bridge_->stop();
}

std::map<std::string, double> Cluster::gauges() const {
    std::map<std::string, double> g{
        {"glucoplay_scheduler_skipped_total",
         ctx_.scheduler ? static_cast<double>(ctx_.scheduler->skipped()) : 0.0}};
    if (!bridge_) return g;
    const events::BridgeStats s = bridge_->stats();
    g["glucoplay_events_forwarded_total"] = static_cast<double>(s.forwarded);
    g["glucoplay_events_notify_statements_total"] = static_cast<double>(s.statements);
    g["glucoplay_events_received_total"] = static_cast<double>(s.received);
    g["glucoplay_events_failed_total"] = static_cast<double>(s.failed);
    g["glucoplay_events_spilled_total"] = static_cast<double>(s.spilled);
    g["glucoplay_events_listener_reconnects_total"] = static_cast<double>(s.reconnects);
    g["glucoplay_events_listening"] = s.listening ? 1.0 : 0.0;
    return g;
}

}  // namespace glucoplay::app
