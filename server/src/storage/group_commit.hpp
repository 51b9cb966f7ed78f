#pragma once

// Group commit: writes that arrive while others wait share one transaction and one commit.
//
// Each write is a function run inside the shared transaction under a SAVEPOINT of its own, so a
// write that throws undoes only its own changes and gets its own error; the others still commit.
// Writes run one after another in the order they were submitted, so each sees the writes before
// it exactly as if it had its own transaction after theirs. Nothing is reported before COMMIT
// returns: every `done` runs after the commit, with nullptr, or with the error that undid the
// write (its own, or the batch's when BEGIN, COMMIT or a rollback to a savepoint failed, in
// which case nothing of the batch was written).
//
// Why (issue 9, docs/performance.md "Group commit"): on SQLite a transaction's fixed costs (file
// locks, the WAL frames of the pages every score touches: the tables' last leaves, the
// sessions' pages) were about a third of a score's cost; on PostgreSQL each commit waits for its
// own WAL flush.
//
// Batches form without waiting: the first write queued posts one drain task to the worker pool
// (set_poster); the writes whose requests are handled before that task runs join its batch.
// Without a poster the submitting thread drains at once (tests, commands).

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

#include "storage/database.hpp"

namespace glucoplay::storage {

class GroupCommit {
  public:
    using Work = std::function<void(Connection&)>;
    using Done = std::function<void(std::exception_ptr)>;
    using Poster = std::function<void(std::function<void()>)>;

    explicit GroupCommit(Database& db, std::size_t max_batch = 64);
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Where drain tasks run (the server's worker pool). Set before the first submit().
    void set_poster(Poster poster);

    // Queues `work`; `done` is called once, on the thread that commits the batch (this one when
    // there is no poster), and must not throw.
    void submit(Work work, Done done);

    struct Stats {
        std::uint64_t batches = 0;  // transactions committed or failed
        std::uint64_t writes = 0;   // writes they carried
    };
    Stats stats() const;

  private:
    struct Job {
        Work work;
        Done done;
    };
    struct State;
    static void drain(const std::shared_ptr<State>& state);
    static void run_batch(State& state, std::deque<Job>& batch);

    std::shared_ptr<State> state_;
};

}  // namespace glucoplay::storage
