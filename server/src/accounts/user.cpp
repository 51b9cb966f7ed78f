#include "accounts/user.hpp"

#include <boost/json.hpp>

#include "util/time.hpp"

namespace glucoplay::accounts {

boost::json::value to_json(const Settings& s) {
    return boost::json::object{{"glucose_unit", s.glucose_unit},
                               {"target_low_mg_dl", s.target_low_mg_dl},
                               {"target_high_mg_dl", s.target_high_mg_dl},
                               {"time_zone", s.time_zone},
                               {"cgm_model", s.cgm_model},
                               {"age_group", s.age_group}};
}

boost::json::value to_json(const User& u, bool admin_view) {
    boost::json::object o{{"id", u.id},
                          {"username", u.username},
                          {"display_name", u.display_name},
                          {"role", u.role},
                          {"created_at", util::format_unix(u.created_at)},
                          {"settings", to_json(u.settings)}};
    if (admin_view) o["disabled"] = u.disabled;
    return o;
}

}  // namespace glucoplay::accounts
