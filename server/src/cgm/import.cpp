#include "cgm/import.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "util/csv.hpp"

namespace glucoplay::cgm {

namespace json = boost::json;

int mmol_to_mg_dl(double mmol_l) {
    return static_cast<int>(std::lround(mmol_l * 18.0));
}

namespace {

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::optional<double> number(const std::string& s) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// "2026-11-20T08:30:00" (Clarity also writes "2026-11-20 08:30:00" in some locales).
std::optional<std::int64_t> local_timestamp(std::string text, const date::time_zone* zone) {
    if (text.size() == 19 && text[10] == ' ') text[10] = 'T';
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':')
        return std::nullopt;
    // Digits where digits belong: when date::parse cannot read the seconds it converts an
    // uninitialised long double (undefined behaviour, found by fuzzing "08:35:XX").
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    date::local_seconds local;
    std::istringstream in(text);
    in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
    if (in.fail()) return std::nullopt;
    // An hour repeated when clocks go back: the earlier instant. A skipped hour: its end.
    auto sys = zone->to_sys(local, date::choose::earliest);
    return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

// Text from the file echoed in a reason: at most `max` characters, anything but printable ASCII
// shown as '?', so the JSON answer is always valid UTF-8 (Dexcom's event types are ASCII words).
std::string printable_ascii(std::string_view text, std::size_t max) {
    std::string out(text.substr(0, max));
    for (char& c : out)
        if (c < 0x20 || c > 0x7E) c = '?';
    return out;
}

// "hh:mm:ss" (hours of one or more digits) -> minutes, at most a day like POST /api/events;
// nullopt for anything else.
std::optional<double> duration_minutes(std::string_view d) {
    int parts[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        const char* end = d.data() + d.size();
        auto [p, ec] = std::from_chars(d.data(), end, parts[i]);
        if (ec != std::errc() || p == d.data() || parts[i] < 0) return std::nullopt;
        d.remove_prefix(static_cast<std::size_t>(p - d.data()));
        if (i < 2) {
            if (d.empty() || d.front() != ':') return std::nullopt;
            d.remove_prefix(1);
        }
    }
    if (!d.empty() || parts[1] > 59 || parts[2] > 59) return std::nullopt;
    const double minutes = parts[0] * 60.0 + parts[1] + parts[2] / 60.0;
    if (minutes > 24 * 60) return std::nullopt;
    return minutes;
}

struct Columns {
    int timestamp = -1, event_type = -1, event_subtype = -1, glucose = -1, insulin = -1, carbs = -1,
        duration = -1;
    bool mmol = false;
};

int find_column(const std::vector<std::string>& header, std::string_view prefix) {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (trim(header[i]).starts_with(prefix)) return static_cast<int>(i);
    return -1;
}

}  // namespace

ParsedImport parse_clarity_csv(std::string_view text, const std::string& time_zone) {
    const date::time_zone* zone = date::locate_zone(time_zone);
    util::CsvReader reader(text);
    auto header = reader.next();
    if (!header) throw std::invalid_argument("the file is empty");
    Columns col;
    col.timestamp = find_column(header->fields, "Timestamp (YYYY-MM-DDThh:mm:ss)");
    col.event_type = find_column(header->fields, "Event Type");
    col.event_subtype = find_column(header->fields, "Event Subtype");
    col.insulin = find_column(header->fields, "Insulin Value (u)");
    col.carbs = find_column(header->fields, "Carb Value (grams)");
    col.duration = find_column(header->fields, "Duration (hh:mm:ss)");
    col.glucose = find_column(header->fields, "Glucose Value (mg/dL)");
    if (col.glucose < 0) {
        col.glucose = find_column(header->fields, "Glucose Value (mmol/L)");
        col.mmol = col.glucose >= 0;
    }
    if (col.timestamp < 0 || col.event_type < 0 || col.glucose < 0)
        throw std::invalid_argument(
            "not a Dexcom Clarity export: the header needs Timestamp (YYYY-MM-DDThh:mm:ss), Event "
            "Type and "
            "Glucose Value (mg/dL) or (mmol/L) columns");

    ParsedImport out;
    while (auto row = reader.next()) {
        const auto& f = row->fields;
        if (f.size() == 1 && trim(f[0]).empty()) continue;  // blank line
        auto field = [&](int i) {
            return i >= 0 && static_cast<std::size_t>(i) < f.size() ? trim(f[i]) : std::string();
        };
        const std::string type = field(col.event_type);
        const std::string stamp = field(col.timestamp);
        if (stamp.empty()) {
            // Profile and device rows (FirstName, LastName, Device, Alert, ...) carry no time:
            // skipped without a trace, their content is personal.
            if (!type.empty()) continue;
            out.skipped.push_back({row->line, "no event type and no timestamp"});
            continue;
        }
        auto at = local_timestamp(stamp, zone);
        if (!at) {
            out.skipped.push_back({row->line, "timestamp is not YYYY-MM-DDThh:mm:ss"});
            continue;
        }
        if (type == "EGV") {
            std::string v = field(col.glucose);
            ParsedReading r{*at, 0, std::nullopt};
            if (v == "Low") {
                r.mg_dl = 39;
                r.flag = "low";
            } else if (v == "High") {
                r.mg_dl = 401;
                r.flag = "high";
            } else if (auto n = number(v)) {
                r.mg_dl = col.mmol ? mmol_to_mg_dl(*n) : static_cast<int>(std::lround(*n));
                if (r.mg_dl < 40 || r.mg_dl > 400) {
                    out.skipped.push_back(
                        {row->line, "glucose value " + v + " is outside the sensor's range"});
                    continue;
                }
            } else {
                out.skipped.push_back({row->line, "glucose value is missing or not a number"});
                continue;
            }
            out.readings.push_back(std::move(r));
        } else if (type == "Carbs" || type == "Insulin" || type == "Exercise") {
            ParsedEvent e;
            e.at = *at;
            std::string subtype = field(col.event_subtype);
            if (!subtype.empty()) e.note = subtype;
            if (type == "Carbs") {
                e.type = "carbs";
                e.value = number(field(col.carbs));
                if (!e.value || *e.value < 0 || *e.value > 1000) {
                    out.skipped.push_back({row->line, "carb value is missing or not a number"});
                    continue;
                }
            } else if (type == "Insulin") {
                e.type = "insulin";
                e.value = number(field(col.insulin));
                if (!e.value || *e.value < 0 || *e.value > 250) {
                    out.skipped.push_back({row->line, "insulin value is missing or not a number"});
                    continue;
                }
            } else {
                e.type = "exercise";
                std::string d = field(col.duration);  // hh:mm:ss -> minutes; may be empty
                if (!d.empty()) {
                    e.value = duration_minutes(d);
                    if (!e.value) {
                        out.skipped.push_back(
                            {row->line, "exercise duration is not hh:mm:ss of at most 24 hours"});
                        continue;
                    }
                }
            }
            out.events.push_back(std::move(e));
        } else {
            // Calibrations, alerts with times, health events: not imported, but said so.
            out.skipped.push_back(
                {row->line, "event type '" + printable_ascii(type, 40) + "' is not imported"});
        }
    }
    if (!reader.error().empty()) out.skipped.push_back({0, reader.error()});
    return out;
}

ParsedImport parse_nightscout_json(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array())
        throw std::invalid_argument("Nightscout entries must be a JSON array of entries");
    ParsedImport out;
    std::size_t index = 0;
    for (const auto& item : v.as_array()) {
        ++index;
        if (!item.is_object()) {
            out.skipped.push_back({index, "entry is not an object"});
            continue;
        }
        const auto& o = item.as_object();
        auto type = o.if_contains("type");
        if (!type || !type->is_string() || type->as_string() != "sgv") {
            out.skipped.push_back({index, "only sgv entries are imported"});
            continue;
        }
        auto sgv = o.if_contains("sgv");
        auto date_ms = o.if_contains("date");
        if (!sgv || !sgv->is_number() || !date_ms || !date_ms->is_number()) {
            out.skipped.push_back(
                {index, "sgv and date (epoch milliseconds) are required numbers"});
            continue;
        }
        double g = sgv->to_number<double>();
        double ms = date_ms->to_number<double>();
        if (!std::isfinite(g) || g < 40 || g > 400) {
            out.skipped.push_back({index, "sgv must be between 40 and 400 mg/dL"});
            continue;
        }
        if (!std::isfinite(ms) || ms < 946684800000.0 || ms > 4102444800000.0) {
            out.skipped.push_back({index, "date is not a plausible epoch time in milliseconds"});
            continue;
        }
        out.readings.push_back(ParsedReading{static_cast<std::int64_t>(ms / 1000),
                                             static_cast<int>(std::lround(g)), std::nullopt});
    }
    return out;
}

}  // namespace glucoplay::cgm
