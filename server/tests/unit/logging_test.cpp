// The log lines' formatter against spdlog's own pattern_formatter of the same pattern.
#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>

#include <chrono>
#include <string>

#include "app/logging.hpp"

using namespace glucoplay;

namespace {

std::string formatted(spdlog::formatter& f, const spdlog::details::log_msg& msg) {
    spdlog::memory_buf_t out;
    f.format(msg, out);
    return std::string(out.data(), out.size());
}

spdlog::details::log_msg message_at(std::chrono::system_clock::time_point t,
                                    spdlog::level::level_enum level, std::string_view text) {
    return spdlog::details::log_msg(t, spdlog::source_loc{}, "access", level,
                                    spdlog::string_view_t(text.data(), text.size()));
}

}  // namespace

TEST(LogLines, WrittenExactlyAsSpdlogsPatternWritesThem) {
    using namespace std::chrono;
    auto ours = app::make_line_formatter();
    spdlog::pattern_formatter theirs(app::kLinePattern, spdlog::pattern_time_type::utc);
    // 2026-12-07T03:41:07Z is 1796614867 s after the epoch.
    const system_clock::time_point base{seconds(1796614867)};
    const struct {
        system_clock::duration after;
        spdlog::level::level_enum level;
        const char* text;
    } cases[] = {
        {milliseconds(0), spdlog::level::info, "access listener=api method=GET path=/api/health"},
        {milliseconds(7), spdlog::level::info, "the same second, later"},
        {milliseconds(999) + microseconds(999), spdlog::level::warn, "the last millisecond"},
        {seconds(1), spdlog::level::err, "the next second"},
        {seconds(1) + milliseconds(42), spdlog::level::debug, ""},
        {seconds(60 * 60 * 21), spdlog::level::critical, "past midnight: the next day"},
        {hours(24 * 25), spdlog::level::trace, "the next year (2027-01-01)"},
    };
    for (const auto& c : cases) {
        const auto msg = message_at(base + c.after, c.level, c.text);
        EXPECT_EQ(formatted(*ours, msg), formatted(theirs, msg)) << c.text;
    }
    // A leap day, 2024-02-29T12:00:00.005Z.
    const auto leap = message_at(system_clock::time_point{seconds(1709208000) + milliseconds(5)},
                                 spdlog::level::info, "leap day");
    EXPECT_EQ(formatted(*ours, leap), formatted(theirs, leap));
    EXPECT_EQ(formatted(*ours, leap), "2024-02-29T12:00:00.005Z level=info leap day\n");
    // A clone starts without the previous second kept and writes the same.
    auto clone = ours->clone();
    const auto msg = message_at(base + milliseconds(123), spdlog::level::info, "clone");
    EXPECT_EQ(formatted(*clone, msg), formatted(theirs, msg));
    EXPECT_EQ(formatted(*clone, msg), "2026-12-07T03:41:07.123Z level=info clone\n");
}
