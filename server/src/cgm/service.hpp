#pragma once

// Readings, imports, trends, Nightscout-format entries and diary events.

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cgm/import.hpp"
#include "cgm/repository.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace glucoplay::cgm {

inline const std::vector<std::string> kEventTypes = {"carbs", "insulin", "exercise",
                                                     "sensor_insert", "note"};

// A time given in a query: an instant (RFC 3339) or a calendar day in the user's time zone.
struct TimeArg {
    std::optional<std::int64_t> instant;
    std::optional<util::Day> day;
};

class CgmService {
  public:
    explicit CgmService(storage::Database& db) : db_(db) {}

    struct Inserted {
        std::size_t inserted = 0;
        std::size_t duplicates = 0;
    };
    Inserted add_readings(std::int64_t user_id, const std::vector<ParsedReading>& readings,
                          const std::string& source);

    enum class Format { clarity_csv, nightscout_json };
    // Parses and stores in one transaction; 422 when the file is not an export of that format.
    // `progress` (optional) is told how many readings have been stored, every thousand.
    boost::json::value import(
        std::int64_t user_id, std::string_view text, Format format,
        const std::function<void(std::size_t done, std::size_t total)>& progress = nullptr);

    // [from, to): `from` defaults to `to` minus `default_span`, `to` to now. A day as `to` means
    // the end of that day. 400 when from >= to.
    std::pair<std::int64_t, std::int64_t> resolve_range(std::int64_t user_id, const TimeArg& from,
                                                        const TimeArg& to,
                                                        std::int64_t default_span_s);

    std::size_t delete_readings(std::int64_t user_id, const std::string& source);
    std::vector<repo::StoredReading> readings(std::int64_t user_id, std::int64_t from,
                                              std::int64_t to, std::int64_t limit);
    boost::json::value trends(std::int64_t user_id, std::int64_t from, std::int64_t to);
    boost::json::value nightscout_entries(std::int64_t user_id, std::int64_t count);
    std::vector<Reading> readings_around(std::int64_t user_id, std::int64_t from, std::int64_t to);

    repo::Event add_event(std::int64_t user_id, repo::Event e);
    std::vector<repo::Event> events(std::int64_t user_id, std::int64_t from, std::int64_t to);
    void delete_event(std::int64_t user_id, std::int64_t id);

    boost::json::value export_data(storage::Connection& c, std::int64_t user_id) const;

  private:
    storage::Database& db_;
};

boost::json::value reading_json(const repo::StoredReading& r);
boost::json::value event_json(const repo::Event& e);
// mg/dL / 18.0, one decimal (API.md).
double to_mmol(int mg_dl);

}  // namespace glucoplay::cgm
