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
// Combined writes: writes of one kind next to each other in a batch may be written by one
// function for all of them (one statement for their sessions, one for their rows...) instead of
// each by its own statements: submit them with the same Combine. It runs under one savepoint for
// the run and must leave the database as the writes one after another would have, each error
// given to its own write. When it declines (nullopt) or throws, everything it did is rolled back
// and each write of the run goes through its own Work as above. Why (issue 9, docs/performance.md
// "Combined scores"): on PostgreSQL every statement is a round trip to another process, and
// a score's eight or nine statements were most of its cost.
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
#include <optional>
#include <vector>

#include "storage/database.hpp"

namespace glucoplay::storage {

class GroupCommit {
  public:
    using Work = std::function<void(Connection&)>;
    using Done = std::function<void(std::exception_ptr)>;
    using Poster = std::function<void(std::function<void()>)>;
    // What a combined write carries for its Combine (its own type, behind void).
    using Item = std::shared_ptr<void>;
    // Writes 2 or more items (in submission order) as if each had been written alone after the
    // ones before it: returns each one's error (nullptr: written), or nullopt to decline.
    using Combine = std::function<std::optional<std::vector<std::exception_ptr>>(
        Connection&, const std::vector<Item>&)>;

    explicit GroupCommit(Database& db, std::size_t max_batch = 64);
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Where drain tasks run (the server's worker pool). Set before the first submit().
    void set_poster(Poster poster);

    // Queues `work`; `done` is called once, on the thread that commits the batch (this one when
    // there is no poster), and must not throw.
    void submit(Work work, Done done);
    // The same for a write that `combine` (which must outlive this object) can write together
    // with its neighbours submitted with the same `combine`; `work` writes it alone.
    void submit(Work work, Done done, const Combine* combine, Item item);

    struct Stats {
        std::uint64_t batches = 0;   // transactions committed or failed
        std::uint64_t writes = 0;    // writes they carried
        std::uint64_t combined = 0;  // of those, the ones a Combine wrote (or refused)
    };
    Stats stats() const;

  private:
    struct Job {
        Work work;
        Done done;
        const Combine* combine = nullptr;
        Item item;
    };
    struct State;
    static void drain(const std::shared_ptr<State>& state);
    static void run_batch(State& state, std::deque<Job>& batch);
    // One job under a savepoint of its own; what it threw in `error` (its changes undone).
    static void run_alone(Connection& c, Job& job, std::exception_ptr& error);
    // Jobs [first, last) through their Combine under one savepoint; false when it declined or
    // failed (nothing of them written).
    static bool run_combined(State& state, Connection& c, std::deque<Job>& batch, std::size_t first,
                             std::size_t last, std::vector<std::exception_ptr>& errors);

    std::shared_ptr<State> state_;
};

}  // namespace glucoplay::storage
