#include "games/service.hpp"

#include <spdlog/spdlog.h>

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <random>

#include "games/rank_events.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "storage/embedded_files.hpp"
#include "util/time.hpp"

namespace glucoplay::games {

using http::ApiError;
namespace json = boost::json;

namespace {

json::value entry_json(const repo::Entry& e) {
    return json::object{{"rank", e.rank},
                        {"user_id", e.user_id},
                        {"display_name", e.display_name},
                        {"score", e.score},
                        {"achieved_at", util::format_unix(e.achieved_at)}};
}

json::array entries_json(const std::vector<repo::Entry>& entries) {
    json::array out;
    for (const auto& e : entries) out.push_back(entry_json(e));
    return out;
}

std::int64_t random_seed() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return static_cast<std::int64_t>(randombytes_uniform(2147483647U));
}

}  // namespace

std::vector<QuizQuestion> parse_quiz(std::string_view text) {
    std::vector<QuizQuestion> out;
    json::value doc = json::parse(text);
    for (const auto& q : doc.at("questions").as_array()) {
        QuizQuestion qq;
        qq.id = q.at("id").as_int64();
        qq.question = std::string(q.at("question").as_string());
        for (const auto& a : q.at("answers").as_array())
            qq.answers.emplace_back(a.at("id").as_int64(), std::string(a.at("text").as_string()));
        qq.correct = q.at("correct").as_int64();
        qq.explanation = std::string(q.at("explanation").as_string());
        qq.source = std::string(q.at("source").as_string());
        bool known = std::any_of(qq.answers.begin(), qq.answers.end(),
                                 [&](const auto& a) { return a.first == qq.correct; });
        if (!known || qq.source.empty() || qq.answers.size() < 2)
            throw std::runtime_error("quiz question " + std::to_string(qq.id) + " is malformed");
        out.push_back(std::move(qq));
    }
    return out;
}

const std::vector<QuizQuestion>& builtin_quiz() {
    static const std::vector<QuizQuestion> quiz = [] {
        for (const auto& f : storage::embedded_data_files())
            if (f.name == "quiz.json") return parse_quiz(f.contents);
        throw std::runtime_error("quiz.json is not compiled into this binary");
    }();
    return quiz;
}

GameService::GameService(storage::Database& db, const food::FoodCatalog& foods, events::Hub& hub,
                         notifications::Notifier& notifier)
    : db_(db),
      foods_(foods),
      hub_(hub),
      notifier_(notifier),
      racing_together_(
          [this](storage::Connection& c, const std::vector<storage::GroupCommit::Item>& items) {
              return write_racing_scores(c, items);
          }),
      writes_(db),
      ranks_([&db](const std::string& game, const std::string& period_key) {
          return db.with_connection([&](storage::Connection& c) {
              std::vector<RankIndex::Entry> out;
              for (const auto& b : repo::all_bests(c, game, period_key))
                  out.push_back(RankIndex::Entry{b.best, b.achieved_at, b.user_id});
              return out;
          });
      }) {
    observe_rank_events(hub_, ranks_, board_cache_);
    hub_.add_observer(profile_topic(), [this](const std::string&, const events::Message& m) {
        board_cache_.invalidate_all();
        std::int64_t user_id = 0;
        const auto [end, ec] =
            std::from_chars(m.data.data(), m.data.data() + m.data.size(), user_id);
        if (m.event == "changed" && ec == std::errc() && end == m.data.data() + m.data.size())
            names_.erase(user_id);
        else
            names_.clear();  // "reload", or a message this version does not know
    });
}

events::Message GameService::profile_changed(std::int64_t user_id) {
    return events::Message{"changed", std::to_string(user_id), std::nullopt};
}

events::Message GameService::profile_reload() {
    return events::Message{"reload", "{}", std::nullopt};
}

json::value GameService::start_session(std::int64_t user_id, const std::string& game) {
    const std::int64_t now = util::now_unix();
    const std::int64_t ttl =
        game == "racing" ? RacingRules::session_ttl_seconds : PlateRules::session_ttl_seconds;
    auto s = db_.transaction([&](storage::Connection& c) {
        return repo::insert_session(c, user_id, game, random_seed(), now, ttl);
    });
    return json::object{{"session_id", s.id},
                        {"game", s.game},
                        {"started_at", util::format_unix(s.started_at)},
                        {"expires_at", util::format_unix(s.expires_at)},
                        {"seed", s.seed}};
}

repo::Session GameService::live_session(storage::Connection& c, std::int64_t user_id,
                                        std::int64_t session_id, const std::string& game,
                                        std::int64_t now) {
    return checked_session(repo::find_session(c, session_id), user_id, game, now);
}

repo::Session GameService::checked_session(std::optional<repo::Session> s, std::int64_t user_id,
                                           const std::string& game, std::int64_t now) {
    // Someone else's session is refused exactly like one that does not exist.
    if (!s || s->user_id != user_id)
        throw ApiError::unprocessable("no such game session for you", "session_id");
    if (s->game != game)
        throw ApiError::unprocessable("that session is for " + s->game + ", not " + game,
                                      "session_id");
    if (s->scored_at)
        throw ApiError::unprocessable("this session already has a score; start a new game",
                                      "session_id");
    if (now >= s->expires_at)
        throw ApiError::unprocessable("this session expired; start a new game", "session_id");
    return std::move(*s);
}

json::object GameService::score_answer(std::int64_t score_id, const std::string& game,
                                       std::int64_t value, std::int64_t now,
                                       const std::optional<repo::Best>& previous) {
    // update_bests raises a best only when strictly higher.
    const repo::Best b = previous && previous->best >= value ? *previous : repo::Best{value, now};
    return json::object{{"score", json::object{{"id", score_id},
                                               {"game", game},
                                               {"value", value},
                                               {"created_at", util::format_unix(now)}}},
                        {"best", b.best},
                        {"personal_best", !previous || value > previous->best}};
}

void GameService::check_sessions(storage::Connection& c,
                                 const std::vector<const http::Principal*>& callers,
                                 std::int64_t now, std::vector<std::exception_ptr>& errors) const {
    const bool unread = std::any_of(callers.begin(), callers.end(),
                                    [](const http::Principal* p) { return !p->session_read; });
    if (!unread) return;
    if (!session_check_) throw std::logic_error("a caller's session to read and no session check");
    auto refused = session_check_(c, callers, now);
    for (std::size_t i = 0; i < callers.size(); ++i)
        if (refused.at(i) && !errors[i]) errors[i] = refused[i];
}

void GameService::record(const http::Principal& caller, std::int64_t now, ScoreFn score,
                         Answer answer, std::shared_ptr<Pending> pending,
                         const storage::GroupCommit::Combine* combine,
                         storage::GroupCommit::Item item) {
    const std::int64_t user_id = caller.user_id;
    storage::GroupCommit::Work work = [this, pending, caller, user_id, now,
                                       score = std::move(score)](storage::Connection& c) {
        // The caller's session (when the request did not read it) and the game session are
        // read and checked in the same transaction as the score (one transaction per
        // submission, shared with the scores committed alongside it).
        std::vector<std::exception_ptr> refused(1);
        check_sessions(c, {&caller}, now, refused);
        if (refused[0]) std::rethrow_exception(refused[0]);
        Pending& p = *pending;
        p.scored.emplace(score(c));
        const repo::Session& s = p.scored->session;
        const std::int64_t value = p.scored->value;
        auto previous = repo::best(c, s.game, "all", user_id);
        // The all-time top 10 before this score, for top10_entered / top10_lost. A score that
        // does not beat the 10th best of a full board changes nobody's place in it, so the board
        // is read only when it can (one index entry read instead of ten joined rows).
        const auto tenth = repo::tenth_best(c, s.game, "all");
        std::optional<std::vector<repo::Entry>> top_before;
        if (!tenth || value > *tenth) top_before = repo::top(c, s.game, "all", 10);
        if (!repo::mark_scored(c, s.id, now))
            throw ApiError::unprocessable("this session already has a score; start a new game",
                                          "session_id");
        std::int64_t id =
            repo::insert_score(c, user_id, s.game, s.id, value, now, p.scored->details);
        repo::update_bests(c, s.game, user_id, id, value, now);
        notify_score(c, user_id, s.game, value, previous, top_before, now, p.outbox);
        p.out = score_answer(id, s.game, value, now, previous);
    };
    storage::GroupCommit::Done done = [this, pending, user_id, now,
                                       answer = std::move(answer)](std::exception_ptr error) {
        if (error) {
            answer(error, {});
            return;
        }
        try {
            answer(nullptr, committed(user_id, now, *pending->scored, pending->outbox,
                                      std::move(pending->out)));
        } catch (...) {
            answer(std::current_exception(), {});
        }
    };
    writes_.submit(std::move(work), std::move(done), combine, std::move(item));
}

std::optional<std::vector<std::exception_ptr>> GameService::write_racing_scores(
    storage::Connection& c, const std::vector<storage::GroupCommit::Item>& items) {
    std::vector<RacingScore*> scores;
    scores.reserve(items.size());
    for (const auto& item : items) scores.push_back(static_cast<RacingScore*>(item.get()));
    // One that could enter the all-time top 10 notifies from reads of the board before and after
    // it (notify_score): those are written each alone. The 10th best only rises while the run
    // is written, so a score not above it now is not above it at its turn either.
    const auto tenth = repo::tenth_best(c, "racing", "all");
    if (!tenth) return std::nullopt;
    std::vector<std::int64_t> session_ids;
    std::vector<repo::BestKey> best_keys;  // each player's boards the run's scores fall on
    for (const RacingScore* s : scores) {
        if (s->value > *tenth) return std::nullopt;
        if (std::find(session_ids.begin(), session_ids.end(), s->session_id) == session_ids.end())
            session_ids.push_back(s->session_id);
        for (auto& key : repo::period_keys(s->now)) {
            repo::BestKey k{std::move(key), s->caller.user_id};
            if (std::find(best_keys.begin(), best_keys.end(), k) == best_keys.end())
                best_keys.push_back(std::move(k));
        }
    }
    // The callers' sessions first: one that ended refuses its score whatever the score is.
    std::vector<std::exception_ptr> errors(scores.size());
    std::vector<const http::Principal*> callers;
    callers.reserve(scores.size());
    std::int64_t latest = 0;  // judged at the latest of the run's instants, as one would be
    for (const RacingScore* s : scores) {
        callers.push_back(&s->caller);
        latest = std::max(latest, s->now);
    }
    check_sessions(c, callers, latest, errors);
    const auto sessions = repo::find_sessions(c, session_ids);
    // The players' bests on those boards before the run.
    const auto stored_bests = repo::bests(c, "racing", best_keys);
    // Each player's all-time best as the next score of theirs in the run sees it.
    std::map<std::int64_t, repo::Best> bests;
    for (const auto& [key, best] : stored_bests)
        if (key.first == "all") bests.emplace(key.second, best);

    // The checks of each score in order, as if the ones before it were written.
    struct Accepted {
        RacingScore* score;
        std::optional<repo::Best> previous;
    };
    std::vector<Accepted> accepted;
    std::vector<std::int64_t> scored_here;  // sessions scored by an earlier score of the run
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (errors[i]) continue;
        RacingScore& s = *scores[i];
        std::optional<repo::Session> session;
        if (auto it = sessions.find(s.session_id); it != sessions.end()) {
            session = it->second;
            if (std::find(scored_here.begin(), scored_here.end(), s.session_id) !=
                scored_here.end())
                session->scored_at = s.now;
        }
        try {
            s.pending->scored.emplace(racing_scored(
                checked_session(std::move(session), s.caller.user_id, "racing", s.now), s.value,
                s.now));
        } catch (const ApiError&) {
            errors[i] = std::current_exception();
            continue;
        }
        scored_here.push_back(s.session_id);
        std::optional<repo::Best> previous;
        if (auto it = bests.find(s.caller.user_id); it != bests.end()) previous = it->second;
        if (!previous || s.value > previous->best)
            bests[s.caller.user_id] = repo::Best{s.value, s.now};
        accepted.push_back(Accepted{&s, previous});
    }
    if (accepted.empty()) return errors;

    // The sessions marked scored (one statement per second the scores were submitted in).
    std::map<std::int64_t, std::vector<std::int64_t>> sessions_at;
    for (const auto& a : accepted) sessions_at[a.score->now].push_back(a.score->session_id);
    for (const auto& [at, ids] : sessions_at)
        if (repo::mark_all_scored(c, ids, at) != static_cast<std::int64_t>(ids.size()))
            // Scored meanwhile by a writer outside the run: each alone says which.
            throw storage::DbError("a session of the run was scored meanwhile");

    std::vector<repo::NewScore> rows;
    rows.reserve(accepted.size());
    for (const auto& a : accepted)
        rows.push_back(repo::NewScore{a.score->caller.user_id, a.score->session_id, a.score->value,
                                      a.score->now, a.score->pending->scored->details});
    const std::vector<std::int64_t> ids = repo::insert_scores(c, "racing", rows);

    // Each (period, player) once, and only where the run raises it: the first score of the run
    // above the stored best and the run's scores before it, which is where raising the best one
    // score after another would leave it. (A board's row is written only when it changes: an
    // upsert whose WHERE refuses still locks the row, which cost PostgreSQL about 27 us a score
    // in C, pg_stat_statements, with 174 of 67 680 rows changed.)
    std::map<repo::BestKey, repo::BestRaise> raises;
    std::vector<notifications::Notifier::Timed> drafts;
    std::vector<RacingScore*> drafted;
    for (std::size_t k = 0; k < accepted.size(); ++k) {
        const RacingScore& s = *accepted[k].score;
        for (auto& key : repo::period_keys(s.now)) {
            repo::BestKey board{std::move(key), s.caller.user_id};
            if (auto it = raises.find(board); it != raises.end()) {
                if (s.value > it->second.best)
                    it->second =
                        repo::BestRaise{board.first, s.caller.user_id, s.value, s.now, ids[k]};
                continue;
            }
            if (auto it = stored_bests.find(board);
                it != stored_bests.end() && s.value <= it->second.best)
                continue;
            const repo::BestRaise raise{board.first, s.caller.user_id, s.value, s.now, ids[k]};
            raises.emplace(std::move(board), raise);
        }
        const auto& previous = accepted[k].previous;
        if (previous && s.value > previous->best) {
            drafts.push_back(
                {personal_best_draft(s.caller.user_id, "racing", s.value, previous->best), s.now});
            drafted.push_back(accepted[k].score);
        }
        s.pending->out = score_answer(ids[k], "racing", s.value, s.now, previous);
    }
    std::vector<repo::BestRaise> rows_of_bests;
    rows_of_bests.reserve(raises.size());
    for (auto& [_, r] : raises) rows_of_bests.push_back(std::move(r));
    repo::raise_bests(c, "racing", rows_of_bests);
    const auto stored = notifier_.create_many(c, drafts);
    for (std::size_t k = 0; k < stored.size(); ++k)
        if (stored[k]) drafted[k]->pending->outbox.add(*stored[k]);
    return errors;
}

json::value GameService::committed(std::int64_t user_id, std::int64_t now, Scored& scored,
                                   notifications::Outbox& outbox, json::object out) {
    // Committed: the rank index takes the new bests (as update_bests raised them; published so
    // that other instances' indexes take them too, this one's synchronously through its
    // observer, which also drops the cached leaderboards the score can show on, before this
    // answer goes out), then answers the rank in O(log n) instead of counting the rows ahead
    // inside the write transaction.
    const repo::Session& s = scored.session;
    const std::int64_t value = scored.value;
    hub_.publish(rank_topic(s.game), rank_score_message(user_id, value, now));
    std::int64_t rank = 0;
    bool entered_a_top10 = false;
    for (const auto& key : repo::period_keys(now)) {
        const auto st = ranks_.standing(s.game, key, user_id);
        if (key == "all") rank = st.rank;
        // This score is the player's entry on that board (it raised their best) and in its top
        // 10. (A score equal to a best set in the same second looks the same: one check too
        // many, never one too few.)
        entered_a_top10 = entered_a_top10 || (st.me && st.rank <= 10 && st.me->best == value &&
                                              st.me->achieved_at == now);
    }
    out["rank"] = rank;
    out["in_top10"] = rank <= 10;
    for (auto& [k, v] : scored.extra) out[k] = v;
    notifier_.deliver(outbox);
    // A score that is not now in a top 10 as its player's best changed no top 10 (a best only
    // rises, so it was outside before too, or it did not change the best), so the three top-10
    // queries (serialised under a lock) are not needed.
    if (entered_a_top10) publish_if_changed(s.game);
    return out;
}

namespace {

std::string game_title(const std::string& game) {
    return game == "racing" ? "Glucose Grand Prix" : "Perfect Plate";
}

}  // namespace

notifications::Draft GameService::personal_best_draft(std::int64_t user_id, const std::string& game,
                                                      std::int64_t value,
                                                      std::int64_t previous_best) {
    return notifications::Draft{
        user_id, "personal_best",
        "New personal best in " + game_title(game) + ": " + std::to_string(value) +
            " (your best was " + std::to_string(previous_best) + ").",
        json::object{{"game", game},
                     {"score", value},
                     {"previous_best", previous_best},
                     {"link", game == "racing" ? "/racing.html" : "/plate.html"}},
        std::nullopt};
}

void GameService::notify_score(storage::Connection& c, std::int64_t user_id,
                               const std::string& game, std::int64_t value,
                               const std::optional<repo::Best>& previous,
                               const std::optional<std::vector<repo::Entry>>& top_board,
                               std::int64_t now, notifications::Outbox& out) {
    const std::string title = game_title(game);
    const std::string board_link = "/leaderboards.html?game=" + game;
    // A first score is not a "new best": there was nothing to beat.
    if (previous && value > previous->best)
        notifier_.create(c, personal_best_draft(user_id, game, value, previous->best), now, out);

    if (!top_board) return;  // the score cannot enter the top 10 (it does not beat the 10th)
    const std::vector<repo::Entry>& top_before = *top_board;
    auto in = [](const std::vector<repo::Entry>& entries, std::int64_t id) {
        return std::any_of(entries.begin(), entries.end(),
                           [id](const repo::Entry& e) { return e.user_id == id; });
    };
    if (in(top_before, user_id)) return;  // already there: nobody is pushed out
    // To enter a full board a score must beat the 10th (a tie goes to the earlier score).
    if (top_before.size() >= 10 && value <= top_before.back().score) return;
    auto top_after = repo::top(c, game, "all", 10);
    if (!in(top_after, user_id)) return;
    std::string by_name;
    std::int64_t rank = 0;
    for (const auto& e : top_after)
        if (e.user_id == user_id) {
            by_name = e.display_name;
            rank = e.rank;
        }
    notifier_.create(
        c,
        notifications::Draft{
            user_id, "top10_entered",
            "You made the " + title + " all-time top 10: #" + std::to_string(rank) + " with " +
                std::to_string(value) + ".",
            json::object{{"game", game}, {"rank", rank}, {"score", value}, {"link", board_link}},
            std::nullopt},
        now, out);
    for (const auto& e : top_before) {
        if (in(top_after, e.user_id)) continue;
        auto best = repo::best(c, game, "all", e.user_id);
        if (!best) continue;
        const std::int64_t their_rank = repo::rank_of(c, game, "all", e.user_id, *best);
        notifier_.create(
            c,
            notifications::Draft{e.user_id, "top10_lost",
                                 by_name + " pushed you out of the " + title +
                                     " all-time top 10. Your best, " + std::to_string(best->best) +
                                     ", is now #" + std::to_string(their_rank) +
                                     ": play again to win your place back.",
                                 json::object{{"game", game},
                                              {"rank", their_rank},
                                              {"score", best->best},
                                              {"by_user_id", user_id},
                                              {"by_display_name", by_name},
                                              {"link", board_link}},
                                 std::nullopt},
            now, out);
    }
}

GameService::Scored GameService::racing_scored(repo::Session s, std::int64_t value,
                                               std::int64_t now) {
    const std::int64_t limit = racing_score_limit(now - s.started_at, s.quiz_correct);
    if (value > limit)
        throw ApiError::unprocessable("a score of " + std::to_string(value) + " is impossible " +
                                          std::to_string(now - s.started_at) +
                                          " s into the session (at most " + std::to_string(limit) +
                                          ")",
                                      "score");
    return Scored{std::move(s), value, "", {}};
}

void GameService::submit_racing(const http::Principal& caller, std::int64_t session_id,
                                std::int64_t value, Answer answer) {
    const std::int64_t now = util::now_unix();
    const std::int64_t user_id = caller.user_id;
    auto pending = std::make_shared<Pending>();
    auto item = std::make_shared<RacingScore>(RacingScore{caller, session_id, value, now, pending});
    record(
        caller, now,
        [this, user_id, session_id, value, now](storage::Connection& c) {
            return racing_scored(live_session(c, user_id, session_id, "racing", now), value, now);
        },
        std::move(answer), std::move(pending), &racing_together_, std::move(item));
}

void GameService::submit_plate(const http::Principal& caller, std::int64_t session_id,
                               std::vector<PlateInput> plates, Answer answer) {
    const std::int64_t now = util::now_unix();
    const std::int64_t user_id = caller.user_id;
    record(
        caller, now,
        [this, user_id, session_id, plates = std::move(plates), now](storage::Connection& c) {
            repo::Session s = live_session(c, user_id, session_id, "plate", now);
            const std::int64_t elapsed = now - s.started_at;
            if (elapsed <
                PlateRules::min_seconds_per_plate * static_cast<std::int64_t>(plates.size()))
                throw ApiError::unprocessable(
                    "those plates were served faster than anyone can build them", "plates");
            json::array breakdown;
            std::int64_t total = 0;
            for (std::size_t p = 0; p < plates.size(); ++p) {
                std::vector<PlateItem> items;
                for (std::size_t i = 0; i < plates[p].items.size(); ++i) {
                    const auto& it = plates[p].items[i];
                    const food::Food* f = foods_.find(it.food_id);
                    if (!f)
                        throw ApiError::validation("plates[" + std::to_string(p) + "].items[" +
                                                       std::to_string(i) + "].food_id",
                                                   "no food with id " + std::to_string(it.food_id));
                    items.push_back(PlateItem{f, it.grams, it.section});
                }
                PlateScore score = score_plate(items);
                total += score.score;
                breakdown.push_back(to_json(score));
            }
            const int bonus = plate_time_bonus(static_cast<int>(plates.size()), elapsed);
            total += bonus;
            json::object details{{"plates", breakdown}, {"time_bonus", bonus}};
            return Scored{std::move(s), total, http::to_json_text(details),
                          json::object{{"plates", breakdown}, {"time_bonus", bonus}}};
        },
        std::move(answer));
}

json::value GameService::leaderboard(const std::string& game, const std::string& period,
                                     std::int64_t limit) {
    auto entries = db_.with_connection([&](storage::Connection& c) {
        return repo::top(c, game, repo::period_key(period, util::now_unix()), limit);
    });
    return json::object{{"game", game}, {"period", period}, {"entries", entries_json(entries)}};
}

std::shared_ptr<const std::string> GameService::leaderboard_text(const std::string& game,
                                                                 const std::string& period,
                                                                 std::int64_t limit) {
    LeaderboardCache::Key key{game, period, repo::period_key(period, util::now_unix()), limit};
    if (auto hit = cached_board(key)) return hit;
    return read_board(key);
}

std::shared_ptr<const std::string> GameService::read_board(const LeaderboardCache::Key& key) {
    // Read the generation first: if a score invalidates the board while it is being read, the
    // board (possibly from before that score) is not kept. Its age counts from before the read.
    const std::uint64_t generation = board_cache_.generation();
    const auto read_at = LeaderboardCache::Clock::now();
    auto entries = db_.with_connection(
        [&](storage::Connection& c) { return repo::top(c, key.game, key.period_key, key.limit); });
    auto body = std::make_shared<const std::string>(http::to_json_text(json::object{
        {"game", key.game}, {"period", key.period}, {"entries", entries_json(entries)}}));
    board_cache_.store(key, generation, body, read_at);
    return body;
}

std::shared_ptr<const std::string> GameService::cached_board(const LeaderboardCache::Key& key) {
    bool refresh = false;
    auto hit =
        board_cache_.find(key, LeaderboardCache::Clock::now(), background_ ? &refresh : nullptr);
    if (!refresh) return hit;
    board_refreshes_.fetch_add(1);
    background_([this, key] {
        try {
            read_board(key);
        } catch (const std::exception& e) {
            // The entry expires as it would have; the next reader after that reads it.
            spdlog::warn("leaderboard refresh of {} {} failed: {}", key.game, key.period, e.what());
        }
    });
    return hit;
}

std::shared_ptr<const std::string> GameService::cached_leaderboard_text(const std::string& game,
                                                                        const std::string& period,
                                                                        std::int64_t limit) {
    return cached_board(
        LeaderboardCache::Key{game, period, repo::period_key(period, util::now_unix()), limit});
}

namespace {

// The neighbours' names, at most five: a short vector searched in place (a std::map was an
// allocation per name on every GET /api/scores/me).
using Names = std::vector<std::pair<std::int64_t, std::string>>;

const std::string* name_of(const Names& names, std::int64_t user_id) {
    for (const auto& [id, name] : names)
        if (id == user_id) return &name;
    return nullptr;
}

// GET /api/scores/me's answer as JSON text, written straight (no json::value tree: the tree
// and its serialisation were most of a request answered from memory), from a standing and the
// neighbours' names (a neighbour without a name is an account deleted since the index last
// refreshed, and is left out). The same keys in the same order as entry_json().
std::string standing_text(const std::string& game, const std::string& period,
                          const RankIndex::Standing& st, const Names& names) {
    http::JsonText out;
    out.begin_object();
    out.key("game").string(game).key("period").string(period).key("players").integer(st.players);
    if (!st.me) {
        out.key("best").null().key("rank").null().key("around").begin_array().end_array();
        return out.end_object().str();
    }
    out.key("best").integer(st.me->best).key("rank").integer(st.rank);
    // Two neighbours on each side (fewer at the ends).
    out.key("around").begin_array();
    std::int64_t rank = st.first_rank;
    util::RfcText when;
    for (const auto& e : st.around) {
        if (const std::string* name = name_of(names, e.user_id)) {
            // The date into `when`, without allocating; a year outside 0000-9999 (no real
            // score's) takes format_unix()'s longer form instead.
            std::string far_year;
            const std::string_view achieved =
                util::format_unix_into(e.achieved_at, when)
                    ? std::string_view(when.data(), when.size())
                    : std::string_view(far_year = util::format_unix(e.achieved_at));
            out.begin_object()
                .key("rank")
                .integer(rank)
                .key("user_id")
                .integer(e.user_id)
                .key("display_name")
                .string(*name)
                .key("score")
                .integer(e.best)
                .key("achieved_at")
                .string(achieved)
                .end_object();
        }
        ++rank;
    }
    out.end_array();
    return out.end_object().str();
}

}  // namespace

std::string GameService::my_standing(std::int64_t user_id, const std::string& game,
                                     const std::string& period) {
    const std::string key = repo::period_key(period, util::now_unix());
    const RankIndex::Standing st = ranks_.standing(game, key, user_id);
    // Names from memory; the ones not there from one query, kept unless a profile message came
    // in while it ran.
    Names names;
    names.reserve(st.around.size());
    std::vector<std::int64_t> missing;
    for (const auto& e : st.around) {
        if (auto name = names_.find(e.user_id))
            names.emplace_back(e.user_id, std::move(*name));
        else
            missing.push_back(e.user_id);
    }
    if (!missing.empty()) {
        const std::uint64_t generation = names_.generation();
        auto found = db_.with_connection(
            [&](storage::Connection& c) { return repo::display_names(c, missing); });
        for (auto& [id, name] : found) {
            names_.put(id, name, generation);
            names.emplace_back(id, std::move(name));
        }
    }
    return standing_text(game, period, st, names);
}

std::optional<std::string> GameService::standing_in_memory(std::int64_t user_id,
                                                           const std::string& game,
                                                           const std::string& period) {
    const std::string key = repo::period_key(period, util::now_unix());
    auto st = ranks_.standing_in_memory(game, key, user_id);
    if (!st) return std::nullopt;
    Names names;
    names.reserve(st->around.size());
    for (const auto& e : st->around) {
        auto name = names_.find(e.user_id);
        if (!name) return std::nullopt;  // a name to read (or a deleted account): the normal way
        names.emplace_back(e.user_id, std::move(*name));
    }
    return standing_text(game, period, *st, names);
}

json::value GameService::next_question(std::int64_t user_id, std::int64_t session_id) {
    const std::int64_t now = util::now_unix();
    const QuizQuestion* q = db_.transaction([&](storage::Connection& c) -> const QuizQuestion* {
        auto s = live_session(c, user_id, session_id, "racing", now);
        const auto& quiz = builtin_quiz();
        // The question already served and not yet answered is asked again (a reload is harmless).
        if (s.pending_question)
            for (const auto& x : quiz)
                if (x.id == *s.pending_question) return &x;
        const std::int64_t allowed = 1 + (now - s.started_at) / RacingRules::seconds_per_pit_stop;
        if (s.questions_served >= allowed) {
            std::int64_t wait =
                s.questions_served * RacingRules::seconds_per_pit_stop - (now - s.started_at);
            throw ApiError::unprocessable("the next pit stop opens in " +
                                              std::to_string(std::max<std::int64_t>(1, wait)) +
                                              " s",
                                          "session_id");
        }
        // The session's seed fixes the question order.
        auto answered = repo::answered_questions(c, session_id);
        std::vector<const QuizQuestion*> order;
        for (const auto& x : quiz) order.push_back(&x);
        std::shuffle(order.begin(), order.end(),
                     std::mt19937_64(static_cast<std::uint64_t>(s.seed)));
        for (const QuizQuestion* x : order) {
            if (std::find(answered.begin(), answered.end(), x->id) != answered.end()) continue;
            repo::set_pending_question(c, session_id, x->id, true);
            return x;
        }
        throw ApiError::unprocessable("you have answered every question in this session",
                                      "session_id");
    });
    json::array answers;
    for (const auto& [id, text] : q->answers)
        answers.push_back(json::object{{"id", id}, {"text", text}});
    return json::object{
        {"question_id", q->id}, {"question", q->question}, {"answers", std::move(answers)}};
}

json::value GameService::answer(std::int64_t user_id, std::int64_t session_id,
                                std::int64_t question_id, std::int64_t answer_id) {
    const auto& quiz = builtin_quiz();
    auto q =
        std::find_if(quiz.begin(), quiz.end(), [&](const auto& x) { return x.id == question_id; });
    if (q == quiz.end())
        throw ApiError::validation("question_id", "no question " + std::to_string(question_id));
    if (std::none_of(q->answers.begin(), q->answers.end(),
                     [&](const auto& a) { return a.first == answer_id; }))
        throw ApiError::validation("answer_id", "that answer is not one of the question's answers");
    const bool correct = answer_id == q->correct;
    const std::int64_t now = util::now_unix();
    db_.transaction([&](storage::Connection& c) {
        auto s = live_session(c, user_id, session_id, "racing", now);
        if (!s.pending_question || *s.pending_question != question_id)
            throw ApiError::unprocessable("answer the question this pit stop asked", "question_id");
        if (!repo::record_answer(c, session_id, question_id, correct))
            throw ApiError::conflict("this question was already answered in this session",
                                     "question_id");
        repo::set_pending_question(c, session_id, std::nullopt, false);
    });
    return json::object{{"correct", correct},
                        {"correct_answer_id", q->correct},
                        {"explanation", q->explanation},
                        {"source", q->source}};
}

void GameService::delete_score(std::int64_t score_id) {
    std::string game = db_.transaction([&](storage::Connection& c) {
        auto s = repo::find_score(c, score_id);
        if (!s) throw ApiError::not_found("no score " + std::to_string(score_id));
        repo::delete_score(c, score_id);
        repo::rebuild_bests(c, s->game, s->user_id);
        return s->game;
    });
    // A best may have gone down: every instance reads the game's boards again (and drops its
    // cached leaderboards: see observe_board_changes).
    hub_.publish(rank_topic(game), rank_reload_message());
    publish_if_changed(game);
}

events::Message GameService::leaderboard_event(const std::string& game) {
    return events::Message{"leaderboard", http::to_json_text(leaderboard(game, "all", 10)),
                           std::nullopt};
}

void GameService::publish_if_changed(const std::string& game) {
    // Read under the lock so concurrent writers publish in order and the last event is current.
    // Any period's top 10 changing sends the event (its data is the all-time board; pages showing
    // the week or today re-read theirs when it arrives).
    std::lock_guard lock(published_mutex_);
    events::Message m = leaderboard_event(game);
    std::string state = m.data + http::to_json_text(leaderboard(game, "week", 10)) +
                        http::to_json_text(leaderboard(game, "day", 10));
    auto& last = last_published_[game];
    if (last == state) return;
    last = state;
    hub_.publish(topic(game), m);
}

json::value GameService::export_data(storage::Connection& c, std::int64_t user_id) const {
    json::array scores;
    for (const auto& r : c.query("SELECT id, game, value, created_at FROM scores WHERE user_id = ? "
                                 "ORDER BY created_at, id",
                                 {user_id})
                             .rows)
        scores.push_back(json::object{{"id", r.int64(0)},
                                      {"game", r.text(1)},
                                      {"value", r.int64(2)},
                                      {"created_at", util::format_unix(r.int64(3))}});
    return scores;
}

}  // namespace glucoplay::games
