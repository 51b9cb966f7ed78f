#include "games/handlers.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "events/sse.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::games {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::FieldReader;
using http::Method;
using http::Request;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

// The cached text itself is the body (a leaderboard is 1 KB and more: copying it was an
// allocation outside the allocator's per-thread cache on every request).
http::Response board_response(std::shared_ptr<const std::string> json_text) {
    http::Response r;
    r.headers.set("Content-Type", "application/json");
    r.shared_body = std::move(json_text);
    return r;
}

// A score's answer, 201 with its JSON, settles the request's deferred response.
GameService::Answer created(std::shared_ptr<http::Deferred> later) {
    return [later = std::move(later)](std::exception_ptr error, json::value answer) {
        if (error)
            later->reject(error);
        else
            later->resolve(http::json_response(201, answer));
    };
}

std::string game_param(const Request& req) {
    auto g = req.query_param("game");
    if (!g) throw ApiError::validation("game", "game is required: racing or plate");
    if (std::find(kGames.begin(), kGames.end(), *g) == kGames.end())
        throw ApiError::validation("game", "game must be racing or plate");
    return *g;
}

std::string period_param(const Request& req) {
    auto p = req.query_param("period").value_or("all");
    if (std::find(kPeriods.begin(), kPeriods.end(), p) == kPeriods.end())
        throw ApiError::validation("period", "period must be all, week or day");
    return p;
}

std::vector<PlateInput> read_plates(const json::object& body) {
    auto it = body.find("plates");
    if (it == body.end() || !it->value().is_array())
        throw ApiError::validation(
            "plates", "plates must be an array of {items: [{food_id, grams, section}]}");
    const auto& arr = it->value().as_array();
    if (arr.empty() || arr.size() > static_cast<std::size_t>(PlateRules::max_plates))
        throw ApiError::validation(
            "plates", "serve 1 to " + std::to_string(PlateRules::max_plates) + " plates");
    std::vector<PlateInput> plates;
    for (std::size_t p = 0; p < arr.size(); ++p) {
        const std::string pp = "plates[" + std::to_string(p) + "]";
        if (!arr[p].is_object()) throw ApiError::validation(pp, pp + " must be an object");
        FieldReader pf(arr[p].as_object(), pp + ".");
        pf.only({"items"});
        auto items = arr[p].as_object().if_contains("items");
        if (!items || !items->is_array())
            throw ApiError::validation(pp + ".items", pp + ".items must be an array");
        if (items->as_array().size() > static_cast<std::size_t>(PlateRules::max_items_per_plate))
            throw ApiError::validation(
                pp + ".items", "a plate holds at most " +
                                   std::to_string(PlateRules::max_items_per_plate) + " items");
        PlateInput plate;
        for (std::size_t i = 0; i < items->as_array().size(); ++i) {
            const std::string ip = pp + ".items[" + std::to_string(i) + "]";
            const auto& v = items->as_array()[i];
            if (!v.is_object()) throw ApiError::validation(ip, ip + " must be an object");
            FieldReader f(v.as_object(), ip + ".");
            f.only({"food_id", "grams", "section"});
            PlateInput::Item item;
            item.food_id = f.integer("food_id", 1, kMaxId);
            item.grams = f.number("grams", 1, 1000);
            item.section = f.string("section", 1, 16);
            if (std::find(kSections.begin(), kSections.end(), item.section) == kSections.end())
                throw ApiError::validation(
                    ip + ".section",
                    ip + ".section must be vegetables, protein, carbohydrate or drink");
            plate.items.push_back(std::move(item));
        }
        plates.push_back(std::move(plate));
    }
    return plates;
}

}  // namespace

void register_routes(http::Router& router, GameService& games, events::Hub& hub) {
    router.add(Method::get, "/api/games", Access::public_,
               [](Request&) { return http::json_response(200, games_json()); });

    router.add(
        Method::post, "/api/games/{game}/sessions", Access::user,
        [&games](Request& req) {
            const std::string& game = req.param("game");
            if (std::find(kGames.begin(), kGames.end(), game) == kGames.end())
                throw ApiError::not_found("no game " + game);
            // The body is optional, but when sent it must be an empty JSON object.
            if (!req.body.empty()) http::FieldReader(http::parse_json_object(req)).only({});
            return http::json_response(201, games.start_session(req.user().user_id, game));
        },
        BodyKind::json);

    router.add(
        Method::post, "/api/scores", Access::user,
        [&games](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            auto game = f.string("game", 1, 16);
            if (game == "racing") {
                f.only({"game", "session_id", "score"});
                auto session_id = f.integer("session_id", 1, kMaxId);
                // A score that is not a whole, non-negative number is not a score any run can
                // produce.
                auto v = body.if_contains("score");
                if (!v) throw ApiError::validation("score", "score is required");
                if (!v->is_number()) throw ApiError::validation("score", "score must be a number");
                double d = v->to_number<double>();
                if (!std::isfinite(d) || d < 0 || std::trunc(d) != d || d > 1e12)
                    throw ApiError::unprocessable(
                        "score must be a whole number of points, 0 or more", "score");
                auto later = std::make_shared<http::Deferred>();
                games.submit_racing(req.user(), session_id, static_cast<std::int64_t>(d),
                                    created(later));
                return http::Response::deferred(later);
            }
            if (game == "plate") {
                f.only({"game", "session_id", "plates"});
                auto session_id = f.integer("session_id", 1, kMaxId);
                auto later = std::make_shared<http::Deferred>();
                games.submit_plate(req.user(), session_id, read_plates(body), created(later));
                return http::Response::deferred(later);
            }
            throw ApiError::validation("game", "game must be racing or plate");
        },
        BodyKind::json);

    // The caller's session is read in the score's own transaction, with the game session (and,
    // for scores written together, with theirs in one query), not in a round trip before it.
    router.read_session_in_write(Method::post, "/api/scores");
    // Nothing before that write blocks (the token, the body and its rules are checked in
    // memory, and the write runs on a worker: GameService's group commit), so the request is
    // handled on the network thread and handed straight to the write, without a hop to a worker
    // and back first (issue 9, docs/performance.md).
    router.write_on_network_thread(Method::post, "/api/scores");

    router.add(Method::get, "/api/scores", Access::public_, [&games](Request& req) {
        return board_response(games.leaderboard_text(game_param(req), period_param(req),
                                                     http::limit_param(req, 10, 100)));
    });
    // The top 10 is the most-read answer in the product: when the cache has it, it is written
    // from the network thread without waiting for a database worker. A bad parameter throws
    // the same 400 as above.
    router.set_fast("/api/scores", [&games](Request& req) -> std::optional<http::Response> {
        auto body = games.cached_leaderboard_text(game_param(req), period_param(req),
                                                  http::limit_param(req, 10, 100));
        if (!body) return std::nullopt;
        return board_response(std::move(body));
    });

    router.add(Method::get, "/api/scores/me", Access::user, [&games](Request& req) {
        return http::json_text_response(
            200, games.my_standing(req.user().user_id, game_param(req), period_param(req)));
    });
    // A player's own standing is the second most-read answer: a caller known from memory
    // (auth::Authenticator::authenticate_remembered) whose board and neighbours' names are in
    // memory is answered on the network thread too.
    router.set_fast("/api/scores/me", [&games](Request& req) -> std::optional<http::Response> {
        auto standing =
            games.standing_in_memory(req.user().user_id, game_param(req), period_param(req));
        if (!standing) return std::nullopt;
        return http::json_text_response(200, std::move(*standing));
    });

    router.add(Method::get, "/api/scores/stream", Access::public_, [&games, &hub](Request& req) {
        const std::string game = game_param(req);
        // The current top 10 first, then one event per change.
        return events::sse_response(hub, GameService::topic(game), {games.leaderboard_event(game)});
    });

    router.add(Method::delete_, "/api/scores/{id}", Access::admin, [&games](Request& req) {
        games.delete_score(http::id_param(req));
        return http::Response::no_content();
    });

    router.add(Method::get, "/api/games/racing/question", Access::user, [&games](Request& req) {
        auto sid = req.query_param("session_id");
        std::int64_t id = 0;
        try {
            std::size_t used = 0;
            id = sid ? std::stoll(*sid, &used) : 0;
            if (!sid || used != sid->size() || id <= 0) throw std::invalid_argument("session_id");
        } catch (const std::exception&) {
            throw ApiError::validation("session_id",
                                       "session_id must be the id of your racing session");
        }
        return http::json_response(200, games.next_question(req.user().user_id, id));
    });

    router.add(
        Method::post, "/api/games/racing/answer", Access::user,
        [&games](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"session_id", "question_id", "answer_id"});
            return http::json_response(
                200, games.answer(req.user().user_id, f.integer("session_id", 1, kMaxId),
                                  f.integer("question_id", 1, kMaxId),
                                  f.integer("answer_id", 1, kMaxId)));
        },
        BodyKind::json);
}

}  // namespace glucoplay::games
