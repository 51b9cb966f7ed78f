#pragma once

// Logging: logfmt-style lines on stdout in UTC (spdlog). Two loggers share one buffered stdout
// sink: the default one ("glucoplay": startup, warnings, errors) writes each line out at once, so
// supervisors and tests see "listening" and failures immediately; "access" (one line per
// request) is written out when the buffer fills, at the next default-logger line, or within
// kAccessFlushInterval. A write(2) per request would otherwise cost a system call on every
// response (issue 9). Lines keep their order: both loggers append to the same buffer.

#include <chrono>
#include <string>

namespace glucoplay::app {

inline constexpr std::chrono::seconds kAccessFlushInterval{1};  // spdlog 1.10 counts in seconds

// Installs both loggers at `level` (trace ... off). Safe to call more than once.
void setup_logging(const std::string& level);

// Writes out whatever is buffered and stops the periodic flush (end of main).
void shutdown_logging();

}  // namespace glucoplay::app
