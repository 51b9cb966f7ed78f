#pragma once

// Glucose statistics as clinicians read them. Pure functions over readings; each cites the
// published definition it implements.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glucoplay::cgm {

struct Reading {
    std::int64_t at = 0;  // unix seconds, UTC
    int mg_dl = 0;        // 39 = "Low", 401 = "High" as exported by Dexcom
};

double mean(const std::vector<int>& values);
// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values.
double standard_deviation(const std::vector<int>& values);
// Coefficient of variation, % = SD / mean x 100. Target <= 36 % (Battelino et al., International
// Consensus on Time in Range, Diabetes Care 2019;42:1593-1603).
double coefficient_of_variation(double sd, double mean);
// Glucose Management Indicator, % = 3.31 + 0.02392 x mean glucose in mg/dL (Bergenstal et al.,
// Diabetes Care 2018;41:2275-2280).
double gmi_percent(double mean_mg_dl);

// Percent of readings in each range (International Consensus on Time in Range, 2019):
// very low < 54, low 54-69, in range 70-180, high 181-250, very high > 250 mg/dL.
struct Ranges {
    double very_low = 0, low = 0, in_range = 0, high = 0, very_high = 0;
};
Ranges time_in_ranges(const std::vector<int>& values);

// Percent of values within [low, high] (0 for none).
double percent_between(const std::vector<int>& values, std::int64_t low, std::int64_t high);

// The p-th percentile (0..100) with linear interpolation between closest ranks (Hyndman & Fan
// type 7, the default of R and NumPy). `sorted` must be ascending and non-empty.
double percentile(const std::vector<int>& sorted, double p);

// Ambulatory glucose profile: readings grouped by local time of day into bins, with the 5th,
// 25th, 50th, 75th and 95th percentiles per bin (the AGP report, Battelino 2019).
struct AgpBin {
    int minute = 0;  // start of the bin, minutes after local midnight
    std::size_t count = 0;
    double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};
// `local_minutes[i]` is the local minute of day (0..1439) of values[i]. Empty bins are omitted.
// Each bin is put in order by counting its values (integer mg/dL, a few hundred distinct), which
// gives the same sorted list, and so the same percentiles, as sorting it.
std::vector<AgpBin> agp(const std::vector<int>& values, const std::vector<int>& local_minutes,
                        int bin_minutes = 15);
// The same by sorting each bin: the reference agp() is tested against.
std::vector<AgpBin> agp_by_sorting(const std::vector<int>& values,
                                   const std::vector<int>& local_minutes, int bin_minutes = 15);

// Trend arrows from the rate of change in mg/dL per minute (Dexcom's definitions, as used in
// Nightscout's "direction"): Flat under 1; FortyFiveUp/Down 1 to 2; SingleUp/Down 2 to 3;
// DoubleUp/Down over 3.
std::string trend_direction(double mg_dl_per_min);
// Rate of change from the readings of the last 15 minutes before the newest one (least-squares
// slope); nullopt when fewer than two readings fall in that window. `recent` is ascending by time.
std::optional<double> rate_of_change(const std::vector<Reading>& recent);

// The glucose response to a meal eaten at `eaten_at` (readings ascending by time):
// baseline = the newest reading at most 15 minutes before eating; peak = the highest reading in
// the 2 hours after; rise = peak - baseline; iAUC = incremental area under the curve over the
// 2 hours, above the baseline only, by the trapezoid rule (the standard method for GI testing:
// ISO 26642:2010; Brouns et al., Nutr Res Rev 2005;18:145-171) in mg/dL x min; where a segment
// crosses the baseline only the part above it counts. nullopt when the readings do not cover the
// window: no baseline, nothing at or after 115 minutes, or a gap over 20 minutes.
struct MealResponse {
    int baseline_mg_dl = 0;
    int peak_mg_dl = 0;
    int peak_after_min = 0;
    int rise_mg_dl = 0;
    double iauc_2h = 0;
};
std::optional<MealResponse> meal_response(const std::vector<Reading>& readings,
                                          std::int64_t eaten_at);

// Level 2 hypoglycaemia: glucose below 54 mg/dL (Battelino et al., International Consensus on
// Time in Range, Diabetes Care 2019;42:1593-1603).
inline constexpr int kVeryLowMgDl = 54;

// A run of readings below the threshold. An episode ends once readings have stayed at or above
// the threshold for 15 minutes (Danne et al., International Consensus on Use of Continuous Glucose
// Monitoring, Diabetes Care 2017;40:1631-1640: "an event ends with >= 15 consecutive minutes at or
// above the threshold"). A low reading more than 30 minutes after the reading before it also
// starts a new episode (a gap in the data cannot be called one event).
// Unlike the consensus, one low reading is enough to start an episode: the app warns early.
struct LowEpisode {
    std::int64_t start = 0;  // first low reading
    std::int64_t end = 0;    // last low reading
    int nadir_mg_dl = 0;
    std::int64_t nadir_at = 0;
};
// `readings` in time order.
std::vector<LowEpisode> low_episodes(const std::vector<Reading>& readings,
                                     int threshold_mg_dl = kVeryLowMgDl);

}  // namespace glucoplay::cgm
