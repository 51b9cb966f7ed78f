#pragma once

// The account record and its settings, and their JSON form (API.md "Authentication").

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

namespace glucoplay::accounts {

struct Settings {
    std::string glucose_unit = "mg/dL";  // "mg/dL" | "mmol/L"
    std::int64_t target_low_mg_dl =
        70;  // International Consensus on Time in Range (Battelino 2019)
    std::int64_t target_high_mg_dl = 180;
    std::string time_zone = "UTC";    // IANA name
    std::string cgm_model = "g7";     // "g7" | "g6" | "stelo"
    std::string age_group = "adult";  // "adult" | "teen" | "child"
};

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string display_name;
    std::string role = "user";  // "user" | "admin"
    bool disabled = false;
    std::int64_t created_at = 0;  // unix seconds
    Settings settings;
};

boost::json::value to_json(const Settings& s);
// `admin_view` adds the fields only administrators see (disabled).
boost::json::value to_json(const User& u, bool admin_view = false);

}  // namespace glucoplay::accounts
