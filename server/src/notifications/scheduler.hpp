#pragma once

// Runs the server's time-based jobs (e.g. sensor_change_due) on a background thread: once at
// start and then every interval. Jobs work from the database, not from memory, so a restart
// loses nothing, and they are idempotent (dedupe keys), so several instances running the same
// job produce each notification once.

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

    explicit Scheduler(std::chrono::milliseconds interval) : interval_(interval) {}
    ~Scheduler() { stop(); }
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void add(std::string name, Job job);
    void start();
    // Wakes the thread and waits for it to finish its current run.
    void stop();
    // Completed rounds of every job (for /metrics and tests).
    std::uint64_t runs() const { return runs_.load(); }
    std::uint64_t failures() const { return failures_.load(); }

  private:
    void loop();

    std::chrono::milliseconds interval_;
    std::vector<std::pair<std::string, Job>> jobs_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> runs_{0};
    std::atomic<std::uint64_t> failures_{0};
};

}  // namespace glucoplay::notifications
