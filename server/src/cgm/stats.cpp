#include "cgm/stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

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

double percentile(const std::vector<int>& sorted, double p) {
    if (sorted.size() == 1) return sorted.front();
    const double h = (static_cast<double>(sorted.size()) - 1) * p / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<AgpBin> agp(const std::vector<int>& values, const std::vector<int>& local_minutes,
                        int bin_minutes) {
    std::map<int, std::vector<int>> bins;
    for (std::size_t i = 0; i < values.size() && i < local_minutes.size(); ++i)
        bins[(local_minutes[i] / bin_minutes) * bin_minutes].push_back(values[i]);
    std::vector<AgpBin> out;
    for (auto& [minute, v] : bins) {
        std::sort(v.begin(), v.end());
        out.push_back(AgpBin{minute, v.size(), percentile(v, 5), percentile(v, 25),
                             percentile(v, 50), percentile(v, 75), percentile(v, 95)});
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
