#include "http/metrics.hpp"

#include <fmt/format.h>

namespace glucoplay::http {

// Label values come from our own route table, but escape anyway per the exposition format.
static std::string escape_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

void Metrics::record(const std::string& method, const std::string& route, unsigned status,
                     double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{method, route, status}];
    Histogram& h = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::set_gauge_source(GaugeSource source) {
    std::lock_guard lock(mutex_);
    gauges_ = std::move(source);
}

std::string Metrics::render() const {
    GaugeSource gauges;
    std::string out;
    {
        std::lock_guard lock(mutex_);
        gauges = gauges_;
        out += "# HELP glucoplay_http_requests_total HTTP requests by method, route and status.\n";
        out += "# TYPE glucoplay_http_requests_total counter\n";
        for (const auto& [key, n] : requests_) {
            const auto& [method, route, status] = key;
            out += fmt::format(
                "glucoplay_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                escape_label(method), escape_label(route), status, n);
        }
        out += "# HELP glucoplay_http_request_duration_seconds Request latency by route.\n";
        out += "# TYPE glucoplay_http_request_duration_seconds histogram\n";
        for (const auto& [route, h] : latency_) {
            std::string r = escape_label(route);
            for (std::size_t i = 0; i < kBuckets.size(); ++i)
                out += fmt::format(
                    "glucoplay_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                    r, kBuckets[i], h.buckets[i]);
            out += fmt::format(
                "glucoplay_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                r, h.count);
            out += fmt::format("glucoplay_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                               r, h.sum);
            out += fmt::format("glucoplay_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                               r, h.count);
        }
    }
    if (gauges) {
        for (const auto& [name, value] : gauges()) {
            out += fmt::format("# TYPE {} gauge\n{} {}\n", name, name, value);
        }
    }
    return out;
}

}  // namespace glucoplay::http
