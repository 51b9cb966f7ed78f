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
#include "notifications/notifications.hpp"
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

// How long a Dexcom sensor works after insertion, from the manufacturer's user guides: G6 10
// days, no grace period (Dexcom G6 CGM System User Guide); G7 10 days plus a 12-hour grace
// period (Dexcom G7 CGM System User Guide); Stelo 15 days plus a 12-hour grace period (Dexcom
// Stelo User Guide).
struct SensorSession {
    std::string name;  // "Dexcom G7"
    std::int64_t session_s = 0;
    std::int64_t grace_s = 0;
};
SensorSession sensor_session(const std::string& cgm_model);
// A sensor change is due 24 hours before the session ends (issue 7).
inline constexpr std::int64_t kSensorReminderLead = 24 * 3600;

class CgmService {
  public:
    CgmService(storage::Database& db, notifications::Notifier& notifier)
        : db_(db), notifier_(notifier) {}

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

    // The scheduler's job: a `sensor_change_due` notification for every user whose latest
    // sensor reaches its reminder time by `now` (once per sensor, whichever instance runs it).
    // Returns how many were created.
    std::size_t notify_due_sensors(std::int64_t now);

  private:
    // `user_id`: only that user's sensors (when a sensor_insert is logged); nullopt: everyone's.
    void due_sensors(storage::Connection& c, std::int64_t now, std::optional<std::int64_t> user_id,
                     notifications::Outbox& out);
    // One `low_glucose` notification per episode (below 54 mg/dL) that `batch` has readings in.
    void low_glucose(storage::Connection& c, std::int64_t user_id,
                     const std::vector<ParsedReading>& batch, notifications::Outbox& out);

    storage::Database& db_;
    notifications::Notifier& notifier_;
};

boost::json::value reading_json(const repo::StoredReading& r);
boost::json::value event_json(const repo::Event& e);
// mg/dL / 18.0, one decimal (API.md).
double to_mmol(int mg_dl);

}  // namespace glucoplay::cgm
