#include "cgm/stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <span>

namespace glucoplay::cgm {

double mean(const std::vector<int>& v) {
    if (v.empty()) return 0;
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double standard_deviation(const std::vector<int>& v) {
    if (v.size() < 2) return 0;
    const double m = mean(v);
    double sum = 0;
    for (int x : v) sum += (x - m) * (x - m);
    return std::sqrt(sum / static_cast<double>(v.size() - 1));
}

double coefficient_of_variation(double sd, double m) {
    return m > 0 ? sd / m * 100.0 : 0;
}

double gmi_percent(double mean_mg_dl) {
    return 3.31 + 0.02392 * mean_mg_dl;
}

Ranges time_in_ranges(const std::vector<int>& v) {
    Ranges r;
    if (v.empty()) return r;
    for (int x : v) {
        if (x < 54)
            r.very_low += 1;
        else if (x < 70)
            r.low += 1;
        else if (x <= 180)
            r.in_range += 1;
        else if (x <= 250)
            r.high += 1;
        else
            r.very_high += 1;
    }
    const double n = static_cast<double>(v.size()) / 100.0;
    r.very_low /= n;
    r.low /= n;
    r.in_range /= n;
    r.high /= n;
    r.very_high /= n;
    return r;
}

double percent_between(const std::vector<int>& values, std::int64_t low, std::int64_t high) {
    if (values.empty()) return 0;
    auto n =
        std::count_if(values.begin(), values.end(), [&](int v) { return v >= low && v <= high; });
    return 100.0 * static_cast<double>(n) / static_cast<double>(values.size());
}

namespace {

double percentile_of(std::span<const int> sorted, double p) {
    if (sorted.size() == 1) return sorted.front();
    const double h = (static_cast<double>(sorted.size()) - 1) * p / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

AgpBin agp_bin(int minute, std::span<const int> sorted) {
    return AgpBin{minute,
                  sorted.size(),
                  percentile_of(sorted, 5),
                  percentile_of(sorted, 25),
                  percentile_of(sorted, 50),
                  percentile_of(sorted, 75),
                  percentile_of(sorted, 95)};
}

int bin_start(int minute, int bin_minutes) {
    return (minute / bin_minutes) * bin_minutes;
}

}  // namespace

double percentile(const std::vector<int>& sorted, double p) {
    return percentile_of(sorted, p);
}

std::vector<AgpBin> agp_by_sorting(const std::vector<int>& values,
                                   const std::vector<int>& local_minutes, int bin_minutes) {
    std::map<int, std::vector<int>> bins;
    for (std::size_t i = 0; i < values.size() && i < local_minutes.size(); ++i)
        bins[bin_start(local_minutes[i], bin_minutes)].push_back(values[i]);
    std::vector<AgpBin> out;
    for (auto& [minute, v] : bins) {
        std::sort(v.begin(), v.end());
        out.push_back(agp_bin(minute, v));
    }
    return out;
}

std::vector<AgpBin> agp(const std::vector<int>& values, const std::vector<int>& local_minutes,
                        int bin_minutes) {
    const std::size_t n = std::min(values.size(), local_minutes.size());
    if (n == 0) return {};
    int first_minute = local_minutes[0], last_minute = first_minute;
    int low = values[0], high = values[0];
    for (std::size_t i = 0; i < n; ++i) {
        first_minute = std::min(first_minute, local_minutes[i]);
        last_minute = std::max(last_minute, local_minutes[i]);
        low = std::min(low, values[i]);
        high = std::max(high, values[i]);
    }
    const std::int64_t minutes = std::int64_t{last_minute} - first_minute + 1;
    const std::int64_t span = std::int64_t{high} - low + 1;
    // Glucose is 39..401 and minutes 0..1439; anything far outside that is sorted instead.
    if (bin_minutes <= 0 || minutes > 65536 || span > 4096)
        return agp_by_sorting(values, local_minutes, bin_minutes);

    // Each minute's bin (numbered from the first bin with a reading), worked out once per minute
    // of the day rather than with a division per reading. bin_start never decreases.
    const int first_bin = bin_start(first_minute, bin_minutes);
    std::vector<std::uint32_t> bin_of(static_cast<std::size_t>(minutes));
    for (std::size_t m = 0; m < bin_of.size(); ++m)
        bin_of[m] = static_cast<std::uint32_t>(
            (bin_start(first_minute + static_cast<int>(m), bin_minutes) - first_bin) / bin_minutes);
    auto bin = [&](std::size_t i) {
        return bin_of[static_cast<std::size_t>(local_minutes[i] - first_minute)];
    };

    // Group the values by bin (a counting sort on the bin)...
    std::vector<std::size_t> start(bin_of.back() + 2, 0);
    for (std::size_t i = 0; i < n; ++i) ++start[bin(i) + 1];
    for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    std::vector<int> grouped(n);
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) grouped[next[bin(i)]++] = values[i];

    // ...then put each bin in order by counting its values.
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(span));
    std::vector<AgpBin> out;
    for (std::size_t b = 0; b + 1 < start.size(); ++b) {
        if (start[b] == start[b + 1]) continue;
        std::span<int> sorted(grouped.data() + start[b], start[b + 1] - start[b]);
        std::fill(counts.begin(), counts.end(), 0);
        for (int v : sorted) ++counts[static_cast<std::size_t>(v - low)];
        auto it = sorted.begin();
        for (std::size_t v = 0; v < counts.size(); ++v)
            it = std::fill_n(it, counts[v], low + static_cast<int>(v));
        out.push_back(agp_bin(first_bin + static_cast<int>(b) * bin_minutes, sorted));
    }
    return out;
}

std::string trend_direction(double r) {
    const double a = std::fabs(r);
    if (a < 1) return "Flat";
    const char* up[] = {"FortyFiveUp", "SingleUp", "DoubleUp"};
    const char* down[] = {"FortyFiveDown", "SingleDown", "DoubleDown"};
    int level = a < 2 ? 0 : a <= 3 ? 1 : 2;
    return r > 0 ? up[level] : down[level];
}

std::optional<double> rate_of_change(const std::vector<Reading>& recent) {
    if (recent.empty()) return std::nullopt;
    const std::int64_t newest = recent.back().at;
    std::vector<const Reading*> window;
    for (const auto& r : recent)
        if (r.at >= newest - 15 * 60 && r.at <= newest) window.push_back(&r);
    if (window.size() < 2) return std::nullopt;
    // Least-squares slope of mg/dL against minutes.
    double mx = 0, my = 0;
    for (auto* r : window) {
        mx += static_cast<double>(r->at - newest) / 60.0;
        my += r->mg_dl;
    }
    mx /= static_cast<double>(window.size());
    my /= static_cast<double>(window.size());
    double sxy = 0, sxx = 0;
    for (auto* r : window) {
        double x = static_cast<double>(r->at - newest) / 60.0 - mx;
        sxy += x * (r->mg_dl - my);
        sxx += x * x;
    }
    if (sxx == 0) return std::nullopt;
    return sxy / sxx;
}

std::optional<MealResponse> meal_response(const std::vector<Reading>& readings,
                                          std::int64_t eaten_at) {
    const std::int64_t end = eaten_at + 120 * 60;
    const Reading* baseline = nullptr;
    std::vector<const Reading*> after;
    for (const auto& r : readings) {
        if (r.at >= eaten_at - 15 * 60 && r.at <= eaten_at) baseline = &r;
        if (r.at > eaten_at && r.at <= end) after.push_back(&r);
    }
    if (!baseline || after.empty() || after.back()->at < eaten_at + 115 * 60) return std::nullopt;

    MealResponse out;
    out.baseline_mg_dl = baseline->mg_dl;
    out.peak_mg_dl = baseline->mg_dl;
    // The curve starts at the baseline reading; each segment adds its area above the baseline.
    const Reading* prev = baseline;
    for (const Reading* r : after) {
        if (r->at - prev->at > 20 * 60) return std::nullopt;
        if (r->mg_dl > out.peak_mg_dl) {
            out.peak_mg_dl = r->mg_dl;
            out.peak_after_min = static_cast<int>((r->at - eaten_at) / 60);
        }
        // Only the part of the window after eating counts: clip the first segment at eaten_at.
        double t0 = static_cast<double>(std::max(prev->at, eaten_at) - eaten_at) / 60.0;
        double t1 = static_cast<double>(r->at - eaten_at) / 60.0;
        double y_prev = prev->mg_dl - out.baseline_mg_dl;
        double y1 = r->mg_dl - out.baseline_mg_dl;
        double y0 = prev->at < eaten_at
                        ? y_prev + (y1 - y_prev) * (static_cast<double>(eaten_at - prev->at) /
                                                    static_cast<double>(r->at - prev->at))
                        : y_prev;
        double dt = t1 - t0;
        if (y0 >= 0 && y1 >= 0)
            out.iauc_2h += (y0 + y1) / 2 * dt;
        else if (y0 > 0 && y1 < 0)
            out.iauc_2h += y0 * (dt * y0 / (y0 - y1)) / 2;  // down through the baseline
        else if (y0 < 0 && y1 > 0)
            out.iauc_2h += y1 * (dt * y1 / (y1 - y0)) / 2;  // up through the baseline
        prev = r;
    }
    out.rise_mg_dl = out.peak_mg_dl - out.baseline_mg_dl;
    return out;
}

std::vector<LowEpisode> low_episodes(const std::vector<Reading>& readings, int threshold_mg_dl) {
    constexpr std::int64_t kRecovery = 15 * 60;  // Danne 2017
    constexpr std::int64_t kMaxGap = 30 * 60;
    std::vector<LowEpisode> out;
    bool open = false;
    std::optional<std::int64_t> recovering_since;  // first reading at or above, while open
    std::int64_t previous_at = 0;
    for (const auto& r : readings) {
        if (r.mg_dl >= threshold_mg_dl) {
            if (open) {
                if (!recovering_since) recovering_since = r.at;
                if (r.at - *recovering_since >= kRecovery) open = false;
            }
        } else {
            // Back below before 15 minutes of recovery: the same episode, unless a gap in the
            // data hides what happened in between.
            if (open && r.at - previous_at > kMaxGap) open = false;
            if (!open) {
                out.push_back(LowEpisode{r.at, r.at, r.mg_dl, r.at});
                open = true;
            } else {
                LowEpisode& e = out.back();
                e.end = r.at;
                if (r.mg_dl < e.nadir_mg_dl) {
                    e.nadir_mg_dl = r.mg_dl;
                    e.nadir_at = r.at;
                }
            }
            recovering_since.reset();
        }
        previous_at = r.at;
    }
    return out;
}

}  // namespace glucoplay::cgm
