#include "games/rank_index.hpp"

#include <condition_variable>
#include <unordered_map>

#include "games/ordered_entries.hpp"

namespace glucoplay::games {

namespace {

using Entry = RankIndex::Entry;

struct LeaderboardOrder {
    bool operator()(const Entry& a, const Entry& b) const {
        if (a.best != b.best) return a.best > b.best;
        if (a.achieved_at != b.achieved_at) return a.achieved_at < b.achieved_at;
        return a.user_id < b.user_id;
    }
};

// Sorted blocks with counts (games/ordered_entries.hpp): a rank and the k-th entry in O(log n),
// touching a few cache lines.
using OrderTree = OrderedEntries<Entry, LeaderboardOrder>;

struct Raise {
    std::int64_t user_id, value, at;
};

struct BoardData {
    OrderTree tree;
    std::unordered_map<std::int64_t, Entry> by_user;

    // Whether the player's entry changed.
    bool raise(std::int64_t user_id, std::int64_t value, std::int64_t at) {
        Entry next{value, at, user_id};
        auto [it, inserted] = by_user.try_emplace(user_id, next);
        if (!inserted) {
            if (value <= it->second.best) return false;  // same rule as the SQL upsert
            tree.erase(it->second);
            it->second = next;
        }
        tree.insert(next);
        return true;
    }
    // A board read from the database: every row at once (the same rule if a player came twice).
    void load(const std::vector<Entry>& rows) {
        by_user.reserve(rows.size());
        for (const Entry& e : rows) {
            auto [it, inserted] = by_user.try_emplace(e.user_id, e);
            if (!inserted && e.best > it->second.best) it->second = e;
        }
        std::vector<Entry> all;
        all.reserve(by_user.size());
        for (const auto& [id, e] : by_user) all.push_back(e);
        tree.assign(std::move(all));
    }
};

RankIndex::Standing standing_of(const BoardData& d, std::int64_t user_id) {
    RankIndex::Standing out;
    out.players = static_cast<std::int64_t>(d.tree.size());
    auto it = d.by_user.find(user_id);
    if (it == d.by_user.end()) return out;
    out.me = it->second;
    const std::size_t index = d.tree.order_of(it->second);
    out.rank = static_cast<std::int64_t>(index) + 1;
    // Two neighbours on each side (fewer at the ends): ranks rank-2 .. rank+2.
    const std::size_t first = index >= 2 ? index - 2 : 0;
    out.first_rank = static_cast<std::int64_t>(first) + 1;
    d.tree.visit(first, 5, [&out](const Entry& e) { out.around.push_back(e); });
    return out;
}

}  // namespace

struct RankIndex::Board {
    using Data = BoardData;

    std::unique_ptr<Data> data;  // null until the first load has finished
    std::chrono::steady_clock::time_point loaded_at;
    bool loading = false;
    std::vector<Raise> pending;  // raises that arrived while loading, replayed onto the new copy
    std::condition_variable loaded;
};

RankIndex::RankIndex(Loader loader, std::chrono::steady_clock::duration refresh)
    : loader_(std::move(loader)), refresh_(refresh) {}

RankIndex::~RankIndex() = default;

std::shared_ptr<RankIndex::Board> RankIndex::board(const std::string& game,
                                                   const std::string& period_key) {
    const std::string key = game + '\n' + period_key;
    std::unique_lock lock(mutex_);
    auto it = boards_.find(key);
    if (it == boards_.end()) {
        // Boards of past weeks and days are not asked for again: forget the idle ones now and
        // then (a current board dropped here is simply loaded again).
        if (boards_.size() >= 64)
            for (auto b = boards_.begin(); b != boards_.end();)
                b = b->second->loading ? std::next(b) : boards_.erase(b);
        it = boards_.emplace(key, std::make_shared<Board>()).first;
    }
    std::shared_ptr<Board> b = it->second;
    for (;;) {
        if (b->data && (b->loading || std::chrono::steady_clock::now() - b->loaded_at < refresh_))
            return b;  // fresh enough, or another request is refreshing it: use this copy
        if (!b->data && b->loading) {
            b->loaded.wait(lock);  // the first load is under way
            continue;
        }
        break;  // this request (re)loads it
    }
    // Registered as loading before the read starts, so every score committed after the read's
    // snapshot lands in `pending` (raise() runs after its commit) and is replayed below.
    b->loading = true;
    b->pending.clear();
    lock.unlock();
    auto fresh = std::make_unique<Board::Data>();
    try {
        fresh->load(loader_(game, period_key));
    } catch (...) {
        lock.lock();
        b->loading = false;
        b->pending.clear();
        b->loaded.notify_all();
        throw;
    }
    lock.lock();
    for (const Raise& r : b->pending) fresh->raise(r.user_id, r.value, r.at);
    b->pending.clear();
    b->data = std::move(fresh);
    b->loaded_at = std::chrono::steady_clock::now();
    b->loading = false;
    b->loaded.notify_all();
    return b;
}

RankIndex::Standing RankIndex::standing(const std::string& game, const std::string& period_key,
                                        std::int64_t user_id) {
    std::shared_ptr<Board> b = board(game, period_key);
    std::lock_guard lock(mutex_);
    if (!b->data) return Standing{};
    return standing_of(*b->data, user_id);
}

std::optional<RankIndex::Standing> RankIndex::standing_in_memory(const std::string& game,
                                                                 const std::string& period_key,
                                                                 std::int64_t user_id) {
    std::lock_guard lock(mutex_);
    auto it = boards_.find(game + '\n' + period_key);
    if (it == boards_.end() || !it->second->data) return std::nullopt;
    const Board& b = *it->second;
    // board()'s rule: a copy older than the refresh interval is used only while another request
    // reloads it.
    if (!b.loading && std::chrono::steady_clock::now() - b.loaded_at >= refresh_)
        return std::nullopt;
    return standing_of(*b.data, user_id);
}

RankIndex::Raised RankIndex::raise(const std::string& game, const std::string& period_key,
                                   std::int64_t user_id, std::int64_t value, std::int64_t at) {
    std::lock_guard lock(mutex_);
    auto it = boards_.find(game + '\n' + period_key);
    if (it == boards_.end()) return Raised{};
    Board& b = *it->second;
    if (b.loading) b.pending.push_back(Raise{user_id, value, at});
    if (!b.data) return Raised{};
    Raised out{true, b.data->raise(user_id, value, at), 0};
    if (out.changed)
        out.rank = static_cast<std::int64_t>(b.data->tree.order_of(Entry{value, at, user_id})) + 1;
    return out;
}

void RankIndex::drop(const std::string& game) {
    std::lock_guard lock(mutex_);
    const std::string prefix = game + '\n';
    for (auto it = boards_.lower_bound(prefix);
         it != boards_.end() && it->first.compare(0, prefix.size(), prefix) == 0;)
        it = boards_.erase(it);
}

}  // namespace glucoplay::games
