#pragma once

// Pin the Dexcom: the approved sensor sites per model and age group (server/data/
// pin_dexcom_sites.json, with sources) and the judge that decides whether a placement is right.
// Pure: geometry on the normalised body picture (0..1, origin top left, twice as tall as wide).

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glucoplay::pin {

inline const std::vector<std::string> kModels = {"g7", "g6", "stelo"};
inline const std::vector<std::string> kAgeGroups = {"adult", "teen", "child"};
inline const std::vector<std::string> kViews = {"front", "back"};

struct Point {
    double x = 0, y = 0;
};
using Polygon = std::vector<Point>;

struct Zone {
    std::string id, name, view;  // view: front | back
    Polygon polygon;
    std::vector<std::pair<std::string, std::vector<std::string>>>
        approved_for;  // model -> age groups
    std::string note, source;
    bool approved(const std::string& model, const std::string& age_group) const;
};

struct AvoidArea {
    std::string id, name, view;  // view: front | back | both
    Polygon polygon;             // circles are kept as centre + radius as well
    std::optional<Point> centre;
    double radius = 0;  // in picture widths
    std::string reason, source;
    bool contains(const Point& p) const;
};

struct ObstacleRule {
    std::string kind, name, reason, source;
    double radius_inches = 0;
};

// A pump site, injection site, tattoo or scar the round put on the body.
struct Obstacle {
    std::string kind;
    std::string view;
    Point at;
};

struct Sites {
    std::vector<Polygon> body;  // the figure (same outline front and back)
    std::vector<Zone> zones;
    std::vector<AvoidArea> avoid;
    std::vector<ObstacleRule> obstacle_rules;
    double inch = 0.03;  // one inch in picture widths
    boost::json::value models;
    std::string about, uncertainty;
};

// Parses and checks the sites file; throws std::runtime_error naming the problem.
Sites parse_sites(std::string_view json_text);
const Sites& builtin_sites();

struct Verdict {
    bool correct = false;
    std::optional<std::string> zone;  // the zone (or area to avoid) the point fell in
    std::string reason;
    int score = 0;  // 0..100: 50 for an approved site, up to 100 well inside it
    double distance =
        0;  // to the nearest approved zone of this model and age (0 inside); picture widths
};

// Ray-casting point-in-polygon (points on an edge count as inside).
bool inside(const Polygon& poly, const Point& p);
// Distance from p to the polygon's boundary, measured with y scaled by the picture's aspect (2),
// so it is the same in every direction; in picture widths.
double distance_to_edge(const Polygon& poly, const Point& p);

Verdict judge(const Sites& sites, const std::string& model, const std::string& age_group,
              const std::string& view, const Point& p, const std::vector<Obstacle>& obstacles);

// GET /api/pin_dexcom/sites: zones with `approved` for this model and age group, areas to avoid
// (circles as polygons), the body outline and the obstacle rules.
boost::json::value sites_json(const Sites& sites, const std::string& model,
                              const std::string& age_group);

}  // namespace glucoplay::pin
