#include "games/rank_events.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "games/repository.hpp"

namespace glucoplay::games {

namespace json = boost::json;

namespace {

constexpr std::string_view kPrefix = "internal:rank:";

}  // namespace

std::string rank_topic(const std::string& game) {
    return std::string(kPrefix) + game;
}

events::Message rank_score_message(std::int64_t user_id, std::int64_t value, std::int64_t at) {
    return events::Message{
        "score", json::serialize(json::object{{"user_id", user_id}, {"value", value}, {"at", at}}),
        std::nullopt};
}

events::Message rank_reload_message() {
    return events::Message{"reload", "{}", std::nullopt};
}

void observe_rank_events(events::Hub& hub, RankIndex& ranks, LeaderboardCache& boards) {
    hub.add_observer(std::string(kPrefix), [&ranks, &boards](const std::string& topic,
                                                             const events::Message& m) {
        const std::string game = topic.substr(kPrefix.size());
        if (m.event == "reload") {
            ranks.drop(game);
            boards.invalidate(game);
            return;
        }
        if (m.event != "score") return;
        boost::system::error_code ec;
        json::value v = json::parse(m.data, ec);
        const json::object* o = ec ? nullptr : v.if_object();
        const json::value* user = o ? o->if_contains("user_id") : nullptr;
        const json::value* value = o ? o->if_contains("value") : nullptr;
        const json::value* at = o ? o->if_contains("at") : nullptr;
        if (!user || !value || !at || !user->is_int64() || !value->is_int64() || !at->is_int64()) {
            spdlog::warn("rank index: ignored a malformed score message on {}", topic);
            return;
        }
        // Only the boards the score changed within kMaxLimit are dropped: a score that does not
        // raise the player's best changes no board (the rule of the SQL upsert), and a best
        // ranked below kMaxLimit on one period's board changes none of its answers (a best only
        // rises, so the player was below it before too). So the all-time top 10 stays cached
        // while today's board changes, and a top player's ordinary runs drop nothing. A board
        // not in memory tells nothing: its answers are dropped.
        for (const auto& key : repo::period_keys(at->as_int64())) {
            const auto raised =
                ranks.raise(game, key, user->as_int64(), value->as_int64(), at->as_int64());
            if (!raised.loaded || (raised.changed && raised.rank <= LeaderboardCache::kMaxLimit))
                boards.invalidate(game, key);
        }
    });
}

}  // namespace glucoplay::games
