#include "notifications/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "util/time.hpp"

namespace glucoplay::notifications {

void Scheduler::add(std::string name, Job job) {
    jobs_.emplace_back(std::move(name), std::move(job));
}

void Scheduler::start() {
    thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const std::int64_t now = util::now_unix();
        for (const auto& [name, job] : jobs_) {
            try {
                if (gate_ && !gate_(name)) {
                    ++skipped_;
                    continue;
                }
                std::size_t produced = job(now);
                if (produced > 0) spdlog::info("scheduler: {} produced {}", name, produced);
            } catch (const std::exception& e) {
                // A database outage must not end the loop: the next round tries again.
                ++failures_;
                spdlog::error("scheduler: {} failed: {}", name, e.what());
            }
        }
        ++runs_;
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace glucoplay::notifications
