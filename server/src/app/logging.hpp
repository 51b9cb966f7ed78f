#pragma once

// Logging: logfmt-style lines on stdout in UTC (spdlog). Two loggers share one buffered stdout
// sink: the default one ("glucoplay": startup, warnings, errors) writes each line out at once, so
// supervisors and tests see "listening" and failures immediately; "access" (one line per
// request) is written out when the buffer fills, at the next default-logger line, or within
// kAccessFlushInterval. A write(2) per request would otherwise cost a system call on every
// response (issue 9). Lines keep their order: both loggers append to the same buffer.

#include <spdlog/formatter.h>

#include <chrono>
#include <memory>
#include <string>

namespace glucoplay::app {

inline constexpr std::chrono::seconds kAccessFlushInterval{1};  // spdlog 1.10 counts in seconds

// Every line: "2026-12-07T03:41:07.123Z level=info <message>", the time in UTC.
inline constexpr const char* kLinePattern = "%Y-%m-%dT%H:%M:%S.%eZ level=%l %v";

// Writes kLinePattern's lines without spdlog's pattern_formatter, which runs one formatter
// object per flag of the pattern: 1 340 instructions a line, a twentieth of an answer from
// memory, since every request writes an access line (issue 9). Same text, byte for byte
// (logging_test.cpp compares it with spdlog's own formatter of kLinePattern).
std::unique_ptr<spdlog::formatter> make_line_formatter();

// Installs both loggers at `level` (trace ... off). Safe to call more than once.
void setup_logging(const std::string& level);

// Writes out whatever is buffered and stops the periodic flush (end of main).
void shutdown_logging();

}  // namespace glucoplay::app
