#include "games/rank_index.hpp"

#include <spdlog/spdlog.h>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <algorithm>
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

// A board's copy read from the database (what the first load and the reloads do). Throws what
// the loader throws.
std::unique_ptr<BoardData> read_board(const RankIndex::Loader& loader, const std::string& game,
                                      const std::string& period_key) {
    auto fresh = std::make_unique<BoardData>();
    fresh->load(loader(game, period_key));
    return fresh;
}

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
    out.around.reserve(5);  // one allocation, not one each time the vector doubles
    d.tree.visit(first, 5, [&out](const Entry& e) { out.around.push_back(e); });
    return out;
}

}  // namespace

struct RankIndex::Board {
    using Data = BoardData;

    std::unique_ptr<Data> data;  // null until the first load has finished
    Clock::time_point due;       // when the copy is due a reload
    bool loading = false;        // a load or reload is queued or running
    std::vector<Raise> pending;  // raises that arrived while loading, replayed onto the new copy
    std::condition_variable loaded;

    // Takes a finished read as the copy (null: the read failed, keep the old copy and try again
    // soon). Under the index's mutex.
    void install(std::unique_ptr<Data> fresh, Clock::time_point now, Clock::duration refresh) {
        if (fresh) {
            for (const Raise& r : pending) fresh->raise(r.user_id, r.value, r.at);
            data = std::move(fresh);
            due = now + refresh;
        } else {
            due = now + std::min<Clock::duration>(refresh, kRetryAfterFailure);
        }
        pending.clear();
        loading = false;
        loaded.notify_all();
    }

    static constexpr Clock::duration kRetryAfterFailure = std::chrono::seconds(1);
};

RankIndex::RankIndex(Loader loader, std::chrono::steady_clock::duration refresh)
    : loader_(std::move(loader)), refresh_(refresh) {}

RankIndex::~RankIndex() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    reload_wake_.notify_all();
    if (reload_thread_.joinable()) reload_thread_.join();
}

std::shared_ptr<RankIndex::Board> RankIndex::board(std::unique_lock<std::mutex>& lock,
                                                   const std::string& game,
                                                   const std::string& period_key) {
    const std::string key = game + '\n' + period_key;
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
    while (!b->data) {
        if (b->loading) {
            b->loaded.wait(lock);  // another request is reading the first copy
            continue;
        }
        // No copy yet: this request reads it. Registered as loading before the read starts, so
        // every score committed after the read's snapshot lands in `pending` (raise() runs
        // after its commit) and is replayed onto it.
        b->loading = true;
        b->pending.clear();
        lock.unlock();
        std::unique_ptr<Board::Data> fresh;
        std::exception_ptr error;
        try {
            fresh = read_board(loader_, game, period_key);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        b->install(std::move(fresh), Clock::now(), refresh_);
        if (error) std::rethrow_exception(error);  // still no copy: the next request tries again
    }
    reload_if_due(game, period_key, b, Clock::now());
    return b;
}

void RankIndex::reload_if_due(const std::string& game, const std::string& period_key,
                              const std::shared_ptr<Board>& b, Clock::time_point now) {
    if (b->loading || now < b->due || stopping_) return;
    // Registered as loading before the read starts (see board()).
    b->loading = true;
    b->pending.clear();
    reloads_queued_.push_back(Reload{game, period_key, b});
    if (!reload_thread_.joinable()) reload_thread_ = std::thread([this] { reloader(); });
    reload_wake_.notify_one();
}

void RankIndex::reloader() {
#ifdef __linux__
    // Below the request threads: when the CPU is busy, answering comes first and the reload
    // takes longer (its board stays answerable from the old copy meanwhile). Best effort.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
#endif
    std::unique_lock lock(mutex_);
    for (;;) {
        reload_wake_.wait(lock, [this] { return stopping_ || !reloads_queued_.empty(); });
        if (stopping_) return;
        Reload job = std::move(reloads_queued_.front());
        reloads_queued_.pop_front();
        reload_running_ = true;
        lock.unlock();
        std::unique_ptr<Board::Data> fresh;  // stays null when the read fails
        try {
            fresh = read_board(loader_, job.game, job.period_key);
        } catch (const std::exception& e) {
            spdlog::warn("rank index: reloading the {} board {} failed ({}); its last copy stays",
                         job.game, job.period_key, e.what());
        } catch (...) {
            spdlog::warn("rank index: reloading the {} board {} failed; its last copy stays",
                         job.game, job.period_key);
        }
        lock.lock();
        // A board dropped meanwhile (moderation) is no longer in boards_: filling it is harmless.
        job.board->install(std::move(fresh), Clock::now(), refresh_);
        job.board.reset();
        reload_running_ = false;
        ++reloads_done_;
        if (reloads_queued_.empty()) reload_idle_.notify_all();
    }
}

void RankIndex::await_reloads() {
    std::unique_lock lock(mutex_);
    reload_idle_.wait(lock, [this] { return reloads_queued_.empty() && !reload_running_; });
}

std::uint64_t RankIndex::reloads() const {
    std::lock_guard lock(mutex_);
    return reloads_done_;
}

RankIndex::Standing RankIndex::standing(const std::string& game, const std::string& period_key,
                                        std::int64_t user_id) {
    std::unique_lock lock(mutex_);
    std::shared_ptr<Board> b = board(lock, game, period_key);
    return standing_of(*b->data, user_id);
}

std::optional<RankIndex::Standing> RankIndex::standing_in_memory(const std::string& game,
                                                                 const std::string& period_key,
                                                                 std::int64_t user_id) {
    std::lock_guard lock(mutex_);
    auto it = boards_.find(game + '\n' + period_key);
    if (it == boards_.end() || !it->second->data) return std::nullopt;
    reload_if_due(game, period_key, it->second, Clock::now());
    return standing_of(*it->second->data, user_id);
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
