#pragma once

// The wire form of a hub message travelling between instances (PostgreSQL NOTIFY payloads):
//   {"origin": "<process id>", "topic": "...", "event": "...", "data": "...", "id": "..."}
// ("id" only when the message has one), or, for a message too big for one NOTIFY, a reference to
// the row that holds its full form: {"origin": "...", "spill": 42}. Pure functions, unit-tested.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/hub.hpp"

namespace glucoplay::events {

struct Envelope {
    std::string origin;  // the publishing process (each process draws a random one at start)
    std::string topic;
    Message message;
    std::optional<std::int64_t> spill;  // set instead of topic/message: fetch row `spill`
};

std::string encode_envelope(const std::string& origin, const std::string& topic, const Message& m);
std::string encode_spill_reference(const std::string& origin, std::int64_t spill_id);
// nullopt for anything that is not one of the two forms above.
std::optional<Envelope> decode_envelope(std::string_view text);

// True when the payload came from another process and should be delivered here.
inline bool from_elsewhere(const Envelope& e, const std::string& own_origin) {
    return e.origin != own_origin;
}

}  // namespace glucoplay::events
