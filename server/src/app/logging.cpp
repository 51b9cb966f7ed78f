#include "app/logging.hpp"

#include <spdlog/details/os.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "util/time.hpp"

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

// kLinePattern written directly. The date and time to the second ("2026-12-07T03:41:07.", from
// util::format_rfc3339) are worked out once a second and kept; a sink calls format() under its
// mutex, and each sink has its own clone.
class LineFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        using namespace std::chrono;
        const auto since_epoch = msg.time.time_since_epoch();
        const auto second = duration_cast<seconds>(since_epoch);
        if (second != second_ || prefix_.empty()) {
            prefix_ = util::format_rfc3339(util::TimePoint{second});
            prefix_.back() = '.';  // its "Z" goes after the milliseconds
            second_ = second;
        }
        dest.append(prefix_.data(), prefix_.data() + prefix_.size());
        const auto millis = static_cast<unsigned>(
            duration_cast<milliseconds>(since_epoch - second).count());  // %e: 000-999
        const char fraction[] = {static_cast<char>('0' + millis / 100),
                                 static_cast<char>('0' + millis / 10 % 10),
                                 static_cast<char>('0' + millis % 10)};
        dest.append(fraction, fraction + 3);
        constexpr std::string_view level_key = "Z level=";
        dest.append(level_key.data(), level_key.data() + level_key.size());
        const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
        dest.append(level.data(), level.data() + level.size());
        dest.push_back(' ');
        dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
        static const std::string_view eol{spdlog::details::os::default_eol};
        dest.append(eol.data(), eol.data() + eol.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<LineFormatter>();
    }

  private:
    std::chrono::seconds second_{0};
    std::string prefix_;
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_line_formatter() {
    return std::make_unique<LineFormatter>();
}

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
    spdlog::set_formatter(make_line_formatter());
    spdlog::set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);  // every line at once
    access->flush_on(spdlog::level::warn);   // access lines are info: batched
    spdlog::flush_every(kAccessFlushInterval);
}

void shutdown_logging() {
    spdlog::shutdown();  // flushes every logger, then stops the periodic flusher
}

}  // namespace glucoplay::app
