#pragma once

// Request counters and a latency histogram in Prometheus text format. Labels use the route
// pattern (not the raw path), so cardinality stays bounded. Thread-safe.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace glucoplay::http {

class Metrics {
  public:
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    void record(const std::string& method, const std::string& route, unsigned status,
                double seconds);

    // Extra gauges appended to the output (e.g. database pool state), name -> value.
    using GaugeSource = std::function<std::map<std::string, double>()>;
    void set_gauge_source(GaugeSource source);

    std::string render() const;

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;  // by route
    GaugeSource gauges_;
};

}  // namespace glucoplay::http
