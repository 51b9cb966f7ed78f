#pragma once

// Committed score changes travel as hub messages on "internal:rank:<game>" (a topic no event
// stream exposes), so that every instance's RankIndex takes them: this process's through the
// hub's observer as it publishes, other instances' through the PostgreSQL bridge. A score on
// instance B therefore raises instance A's boards within milliseconds instead of at A's next
// 30-second reload.
//   event "score"  {"user_id", "value", "at"}: raise the player on the boards of `at`'s periods
//   event "reload" {}: drop the game's boards (a moderation lowered a best; read them again)

#include <cstdint>
#include <string>

#include "events/hub.hpp"
#include "games/leaderboard_cache.hpp"
#include "games/rank_index.hpp"

namespace glucoplay::games {

std::string rank_topic(const std::string& game);
events::Message rank_score_message(std::int64_t user_id, std::int64_t value, std::int64_t at);
events::Message rank_reload_message();

// Registers the observer that applies those messages to `ranks` and drops from `boards` the
// cached leaderboards a score changes: those of each of its periods where it raised its
// player's best to a rank within LeaderboardCache::kMaxLimit, or whose board is not loaded (so
// nothing is known); a reload drops the game's. Both must outlive the hub's deliveries: stop the
// bridge before destroying them. Runs synchronously in Hub::publish, so this process's own score
// has dropped the boards before its POST is answered.
void observe_rank_events(events::Hub& hub, RankIndex& ranks, LeaderboardCache& boards);

}  // namespace glucoplay::games
