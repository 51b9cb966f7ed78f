#include "storage/group_commit.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace glucoplay::storage {

struct GroupCommit::State {
    Database& db;
    std::size_t max_batch;
    std::mutex mutex;
    Poster poster;          // guarded by mutex
    std::deque<Job> queue;  // guarded by mutex
    bool draining = false;  // a drain task is posted or running (guarded by mutex)
    std::atomic<std::uint64_t> batches{0};
    std::atomic<std::uint64_t> writes{0};
    std::atomic<std::uint64_t> combined{0};

    State(Database& d, std::size_t max) : db(d), max_batch(max == 0 ? 1 : max) {}
};

GroupCommit::GroupCommit(Database& db, std::size_t max_batch)
    : state_(std::make_shared<State>(db, max_batch)) {}

GroupCommit::~GroupCommit() = default;

void GroupCommit::set_poster(Poster poster) {
    std::lock_guard lock(state_->mutex);
    state_->poster = std::move(poster);
}

void GroupCommit::submit(Work work, Done done) {
    submit(std::move(work), std::move(done), nullptr, nullptr);
}

void GroupCommit::submit(Work work, Done done, const Combine* combine, Item item) {
    Poster poster;
    {
        std::lock_guard lock(state_->mutex);
        state_->queue.push_back(Job{std::move(work), std::move(done), combine, std::move(item)});
        if (state_->draining) return;  // the drain under way or posted takes it
        state_->draining = true;
        poster = state_->poster;
    }
    if (poster)
        // The task holds the state, so a pool that outlives this object finds it intact.
        poster([state = state_] { drain(state); });
    else
        drain(state_);
}

void GroupCommit::drain(const std::shared_ptr<State>& state) {
    for (;;) {
        std::deque<Job> batch;
        {
            std::lock_guard lock(state->mutex);
            while (!state->queue.empty() && batch.size() < state->max_batch) {
                batch.push_back(std::move(state->queue.front()));
                state->queue.pop_front();
            }
        }
        if (!batch.empty()) run_batch(*state, batch);
        Poster poster;
        {
            std::lock_guard lock(state->mutex);
            if (state->queue.empty()) {
                state->draining = false;
                return;
            }
            poster = state->poster;
        }
        // More arrived meanwhile: with a pool, go to the back of its queue, so the requests
        // queued behind this task add their writes to the next batch (and other work runs).
        if (poster) {
            poster([state] { drain(state); });
            return;
        }
    }
}

void GroupCommit::run_alone(Connection& c, Job& job, std::exception_ptr& error) {
    c.query("SAVEPOINT group_commit_write");
    try {
        job.work(c);
    } catch (...) {
        error = std::current_exception();
        // Undoes this write only. If this fails too (the connection broke, or the database
        // rolled the whole transaction back), the exception leaves the transaction, which rolls
        // back every write of the batch.
        c.query("ROLLBACK TO SAVEPOINT group_commit_write");
    }
    c.query("RELEASE SAVEPOINT group_commit_write");
}

bool GroupCommit::run_combined(State& state, Connection& c, std::deque<Job>& batch,
                               std::size_t first, std::size_t last,
                               std::vector<std::exception_ptr>& errors) {
    std::vector<Item> items;
    items.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) items.push_back(batch[i].item);
    c.query("SAVEPOINT group_commit_combined");
    std::optional<std::vector<std::exception_ptr>> outcome;
    try {
        outcome = (*batch[first].combine)(c, items);
        if (outcome && outcome->size() != items.size())
            throw std::logic_error("group commit: a Combine answered for " +
                                   std::to_string(outcome->size()) + " of " +
                                   std::to_string(items.size()) + " writes");
    } catch (const std::exception& e) {
        // Each write then goes its own way and gets its own error, if any.
        spdlog::warn("group commit: {} writes written together failed ({}); writing each alone",
                     items.size(), e.what());
        outcome.reset();
    } catch (...) {
        spdlog::warn("group commit: {} writes written together failed; writing each alone",
                     items.size());
        outcome.reset();
    }
    if (!outcome) c.query("ROLLBACK TO SAVEPOINT group_commit_combined");
    c.query("RELEASE SAVEPOINT group_commit_combined");
    if (!outcome) return false;
    for (std::size_t i = first; i < last; ++i) errors[i] = (*outcome)[i - first];
    state.combined.fetch_add(items.size(), std::memory_order_relaxed);
    return true;
}

void GroupCommit::run_batch(State& state, std::deque<Job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    try {
        state.db.transaction([&](Connection& c) {
            if (batch.size() == 1) {
                // Alone: its own transaction, exactly as without grouping.
                batch.front().work(c);
                return;
            }
            for (std::size_t i = 0; i < batch.size();) {
                // The run of writes from i that share i's Combine.
                std::size_t end = i + 1;
                if (batch[i].combine)
                    while (end < batch.size() && batch[end].combine == batch[i].combine) ++end;
                if (end - i >= 2 && run_combined(state, c, batch, i, end, errors)) {
                    i = end;
                    continue;
                }
                for (; i < end; ++i) run_alone(c, batch[i], errors[i]);
            }
        });
    } catch (...) {
        // BEGIN, COMMIT or a savepoint failed, or a lone write threw: nothing was written.
        const std::exception_ptr failed = std::current_exception();
        for (auto& e : errors)
            if (!e) e = failed;
    }
    state.batches.fetch_add(1, std::memory_order_relaxed);
    state.writes.fetch_add(batch.size(), std::memory_order_relaxed);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
            batch[i].done(errors[i]);
        } catch (const std::exception& e) {
            spdlog::error("group commit: a write's completion threw: {}", e.what());
        } catch (...) {
            spdlog::error("group commit: a write's completion threw");
        }
    }
}

GroupCommit::Stats GroupCommit::stats() const {
    return Stats{state_->batches.load(std::memory_order_relaxed),
                 state_->writes.load(std::memory_order_relaxed),
                 state_->combined.load(std::memory_order_relaxed)};
}

}  // namespace glucoplay::storage
