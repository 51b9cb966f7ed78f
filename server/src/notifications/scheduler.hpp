#pragma once

// Runs the server's time-based jobs (e.g. sensor_change_due) on a background thread: once at
// start and then every interval. Jobs work from the database, not from memory, so a restart
// loses nothing, and they are idempotent (dedupe keys), so several instances running the same
// job produce each notification once. With a gate (PostgreSQL: notifications/job_locks.hpp), only
// the instance the gate admits runs a job each round; the others count a skip.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace glucoplay::notifications {

class Scheduler {
  public:
    // `now` is the unix time of the run; the job returns how many items it produced.
    using Job = std::function<std::size_t(std::int64_t now)>;
    // Asked before each run of a job: false skips it this round (another instance runs it).
    // May throw (counted as a failure of that job).
    using Gate = std::function<bool(const std::string& job)>;

    explicit Scheduler(std::chrono::milliseconds interval) : interval_(interval) {}
    ~Scheduler() { stop(); }
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void add(std::string name, Job job);
    // Set before start().
    void set_gate(Gate gate) { gate_ = std::move(gate); }
    void start();
    // Wakes the thread and waits for it to finish its current run.
    void stop();
    // Completed rounds of every job (for /metrics and tests).
    std::uint64_t runs() const { return runs_.load(); }
    std::uint64_t failures() const { return failures_.load(); }
    // Job runs left to another instance by the gate.
    std::uint64_t skipped() const { return skipped_.load(); }

  private:
    void loop();

    std::chrono::milliseconds interval_;
    std::vector<std::pair<std::string, Job>> jobs_;
    Gate gate_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> runs_{0};
    std::atomic<std::uint64_t> failures_{0};
    std::atomic<std::uint64_t> skipped_{0};
};

}  // namespace glucoplay::notifications
