#include "events/envelope.hpp"

#include <boost/json.hpp>

namespace glucoplay::events {

namespace json = boost::json;

std::string encode_envelope(const std::string& origin, const std::string& topic, const Message& m) {
    json::object o{{"origin", origin}, {"topic", topic}, {"event", m.event}, {"data", m.data}};
    if (m.id) o["id"] = *m.id;
    return json::serialize(o);
}

std::string encode_spill_reference(const std::string& origin, std::int64_t spill_id) {
    return json::serialize(json::object{{"origin", origin}, {"spill", spill_id}});
}

std::optional<Envelope> decode_envelope(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.as_object();
    auto text_field = [&](std::string_view key) -> const json::string* {
        auto it = o.find(key);
        return it != o.end() && it->value().is_string() ? &it->value().as_string() : nullptr;
    };
    const json::string* origin = text_field("origin");
    if (!origin || origin->empty()) return std::nullopt;
    Envelope e;
    e.origin = std::string(*origin);
    if (auto it = o.find("spill"); it != o.end()) {
        if (!it->value().is_int64() || it->value().as_int64() <= 0 || o.size() != 2)
            return std::nullopt;
        e.spill = it->value().as_int64();
        return e;
    }
    const json::string* topic = text_field("topic");
    const json::string* event = text_field("event");
    const json::string* data = text_field("data");
    if (!topic || topic->empty() || !event || !data) return std::nullopt;
    e.topic = std::string(*topic);
    e.message.event = std::string(*event);
    e.message.data = std::string(*data);
    if (auto it = o.find("id"); it != o.end()) {
        if (!it->value().is_string()) return std::nullopt;
        e.message.id = std::string(it->value().as_string());
    }
    return e;
}

}  // namespace glucoplay::events
