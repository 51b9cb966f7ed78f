#include "app/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <mutex>

namespace glucoplay::app {

namespace {

// Formatted lines collect in a buffer; flush() writes them to stdout with write(2).
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    static constexpr std::size_t kFlushBytes = 32 * 1024;

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        buffer_.append(formatted.data(), formatted.size());
        if (buffer_.size() >= kFlushBytes) flush_();
    }

    void flush_() override {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            ssize_t n = ::write(STDOUT_FILENO, buffer_.data() + done, buffer_.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // stdout closed or full beyond repair: the lines are dropped
            done += static_cast<std::size_t>(n);
        }
        buffer_.clear();
    }

  private:
    std::string buffer_;
};

}  // namespace

void setup_logging(const std::string& level) {
    static const auto sink = std::make_shared<BufferedStdoutSink>();
    auto logger = spdlog::get("glucoplay");
    if (!logger) {
        logger = std::make_shared<spdlog::logger>("glucoplay", sink);
        spdlog::register_logger(logger);
    }
    auto access = spdlog::get("access");
    if (!access) {
        access = std::make_shared<spdlog::logger>("access", sink);
        spdlog::register_logger(access);
    }
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
    spdlog::set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);  // every line at once
    access->flush_on(spdlog::level::warn);   // access lines are info: batched
    spdlog::flush_every(kAccessFlushInterval);
}

void shutdown_logging() {
    spdlog::shutdown();  // flushes every logger, then stops the periodic flusher
}

}  // namespace glucoplay::app
