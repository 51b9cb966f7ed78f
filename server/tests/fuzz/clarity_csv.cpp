// Fuzz target: the Dexcom Clarity CSV importer (cgm::parse_clarity_csv). The input is the file as
// uploaded to POST /api/pin_dexcom/import. Invariants: the only exception is std::invalid_argument
// (the service maps it to 422; anything else would be a 500), and what comes out is what the
// database may take: readings 40-400 mg/dL or Dexcom's flagged Low/High, events of the three
// imported types with bounded values (as POST /api/events bounds them), skipped rows that point
// at a real line with a reason that is clean UTF-8 (it goes back to the client in JSON).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cgm/import.hpp"
#include "fuzz_support.hpp"
#include "http/json.hpp"

using namespace glucoplay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    // A zone with daylight-saving changes, so repeated and skipped local hours are reached.
    static const std::string zone = "America/New_York";
    cgm::ParsedImport out;
    try {
        out = cgm::parse_clarity_csv(text, zone);
    } catch (const std::invalid_argument&) {
        return 0;  // not a Clarity export: 422 with the message
    }
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    for (const auto& r : out.readings) {
        if (r.flag) {
            fuzz::check(
                (*r.flag == "low" && r.mg_dl == 39) || (*r.flag == "high" && r.mg_dl == 401),
                "a flagged reading is Low=39 or High=401", *r.flag);
        } else {
            fuzz::check(r.mg_dl >= 40 && r.mg_dl <= 400, "reading within 40-400 mg/dL",
                        std::to_string(r.mg_dl));
        }
    }
    for (const auto& e : out.events) {
        fuzz::check(e.type == "carbs" || e.type == "insulin" || e.type == "exercise",
                    "event type is carbs, insulin or exercise", e.type);
        if (e.type != "exercise")
            fuzz::check(e.value.has_value(), "carbs and insulin events carry a value");
        if (e.value) {
            fuzz::check(std::isfinite(*e.value) && *e.value >= 0, "event value finite, >= 0",
                        std::to_string(*e.value));
            const double max = e.type == "carbs" ? 1000 : e.type == "insulin" ? 250 : 24 * 60;
            fuzz::check(*e.value <= max, "event value within its bound", std::to_string(*e.value));
        }
    }
    for (const auto& s : out.skipped) {
        fuzz::check(s.line <= lines + 1, "skipped row names a line of the file",
                    std::to_string(s.line));
        fuzz::check(!s.reason.empty() && s.reason.size() < 200, "skipped row has a short reason",
                    s.reason);
        // Reasons are sent back in the JSON answer: they must be valid UTF-8 text.
        fuzz::check(http::is_clean_utf8(s.reason), "skipped reason is clean UTF-8", s.reason);
    }
    return 0;
}
