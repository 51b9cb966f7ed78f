// Fuzz target: the Nightscout entries importer (cgm::parse_nightscout_json). The input is the body
// of POST /api/pin_dexcom/import as application/json. Invariants: only std::invalid_argument
// escapes (422), readings are 40-400 mg/dL at plausible times (2000-2100), and every skipped entry
// names a position in the array.
#include <boost/json.hpp>
#include <stdexcept>
#include <string>

#include "cgm/import.hpp"
#include "fuzz_support.hpp"

using namespace glucoplay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    cgm::ParsedImport out;
    try {
        out = cgm::parse_nightscout_json(text);
    } catch (const std::invalid_argument&) {
        return 0;  // not a JSON array: 422 with the message
    }
    // The parser accepted it, so it is a JSON array: count its entries independently.
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    fuzz::check(!ec && v.is_array(), "accepted input is a JSON array");
    const std::size_t entries = v.as_array().size();
    fuzz::check(out.readings.size() + out.skipped.size() == entries,
                "every entry is either a reading or skipped");
    fuzz::check(out.events.empty(), "Nightscout entries yield no diary events");
    for (const auto& r : out.readings) {
        fuzz::check(r.mg_dl >= 40 && r.mg_dl <= 400, "reading within 40-400 mg/dL",
                    std::to_string(r.mg_dl));
        fuzz::check(r.at >= 946684800 && r.at <= 4102444800, "reading time within 2000-2100",
                    std::to_string(r.at));
        fuzz::check(!r.flag, "Nightscout readings are never flagged");
    }
    for (const auto& s : out.skipped)
        fuzz::check(s.line >= 1 && s.line <= entries, "skipped entry names its position",
                    std::to_string(s.line));
    return 0;
}
