#pragma once

// Parsers for glucose data exports. Pure: text in, readings/events/skipped rows out.
// - Dexcom Clarity CSV export (mg/dL or mmol/L variant, quoted or not, BOM, CRLF/LF).
// - Nightscout "entries" JSON ([{type: "sgv", sgv, date (epoch ms), ...}]).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glucoplay::cgm {

struct ParsedReading {
    std::int64_t at = 0;              // unix seconds, UTC
    int mg_dl = 0;                    // 39 / 401 for Dexcom's "Low" / "High"
    std::optional<std::string> flag;  // "low" | "high" when the sensor was out of its range
};

struct ParsedEvent {
    std::string type;  // carbs | insulin | exercise
    std::int64_t at = 0;
    std::optional<double> value;  // grams, units, minutes
    std::optional<std::string> note;
};

struct Skipped {
    std::size_t line = 0;  // CSV line, or 1-based array position for JSON
    std::string reason;
};

struct ParsedImport {
    std::vector<ParsedReading> readings;
    std::vector<ParsedEvent> events;
    std::vector<Skipped> skipped;
};

// Clarity timestamps are local times without an offset: they are read in `time_zone`.
// Rows without a timestamp (FirstName, LastName, Device, Alert...) are skipped silently and never
// stored, because they name the patient and their devices. Throws std::invalid_argument when the
// text is not a Clarity export at all (no recognisable header).
ParsedImport parse_clarity_csv(std::string_view text, const std::string& time_zone);
// Throws std::invalid_argument when the text is not a JSON array.
ParsedImport parse_nightscout_json(std::string_view text);

// mg/dL from mmol/L (1 mmol/L glucose = 18.0 mg/dL; molar mass 180.16 g/mol), rounded.
int mmol_to_mg_dl(double mmol_l);

}  // namespace glucoplay::cgm
