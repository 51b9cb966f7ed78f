#include "pin/placement.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "storage/embedded_files.hpp"

namespace glucoplay::pin {

namespace json = boost::json;

namespace {

constexpr double kAspect = 2.0;  // picture height / width

Polygon to_polygon(const json::value& v) {
    Polygon p;
    for (const auto& pt : v.as_array()) {
        const auto& a = pt.as_array();
        double x = a.at(0).to_number<double>(), y = a.at(1).to_number<double>();
        if (x < 0 || x > 1 || y < 0 || y > 1) throw std::runtime_error("coordinate outside 0..1");
        p.push_back({x, y});
    }
    if (p.size() < 3) throw std::runtime_error("a polygon needs at least 3 points");
    return p;
}

// A circle (radius in picture widths) as a polygon in picture coordinates.
Polygon circle_polygon(const Point& c, double r, int n = 24) {
    Polygon p;
    for (int i = 0; i < n; ++i) {
        double a = 2 * std::numbers::pi * i / n;
        p.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a) / kAspect});
    }
    return p;
}

double aspect_distance(const Point& a, const Point& b) {
    return std::hypot(a.x - b.x, (a.y - b.y) * kAspect);
}

json::array polygon_json(const Polygon& p) {
    json::array out;
    for (const auto& pt : p)
        out.push_back(
            json::array{std::round(pt.x * 10000) / 10000, std::round(pt.y * 10000) / 10000});
    return out;
}

}  // namespace

bool Zone::approved(const std::string& model, const std::string& age_group) const {
    for (const auto& [m, ages] : approved_for)
        if (m == model) return std::find(ages.begin(), ages.end(), age_group) != ages.end();
    return false;
}

bool AvoidArea::contains(const Point& p) const {
    if (centre) return aspect_distance(*centre, p) <= radius;
    return inside(polygon, p);
}

bool inside(const Polygon& poly, const Point& p) {
    if (distance_to_edge(poly, p) < 1e-9) return true;
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const Point& a = poly[i];
        const Point& b = poly[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            in = !in;
    }
    return in;
}

double distance_to_edge(const Polygon& poly, const Point& p) {
    double best = std::numeric_limits<double>::max();
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        // Work in aspect-corrected space so distances are round, not stretched.
        Point a{poly[j].x, poly[j].y * kAspect}, b{poly[i].x, poly[i].y * kAspect},
            q{p.x, p.y * kAspect};
        double dx = b.x - a.x, dy = b.y - a.y;
        double len2 = dx * dx + dy * dy;
        double t =
            len2 > 0 ? std::clamp(((q.x - a.x) * dx + (q.y - a.y) * dy) / len2, 0.0, 1.0) : 0;
        best = std::min(best, std::hypot(q.x - (a.x + t * dx), q.y - (a.y + t * dy)));
    }
    return best;
}

Sites parse_sites(std::string_view text) {
    Sites s;
    json::value doc = json::parse(text);
    const auto& o = doc.as_object();
    s.about = std::string(o.at("about").as_string());
    s.uncertainty = std::string(o.at("uncertainty").as_string());
    s.inch = o.at("inch").to_number<double>();
    s.models = o.at("models");
    for (const auto& part : o.at("body").at("front").as_array()) s.body.push_back(to_polygon(part));
    for (const auto& z : o.at("zones").as_array()) {
        Zone zone;
        zone.id = std::string(z.at("id").as_string());
        zone.name = std::string(z.at("name").as_string());
        zone.view = std::string(z.at("view").as_string());
        zone.polygon = to_polygon(z.at("polygon"));
        for (const auto& [model, ages] : z.at("approved_for").as_object()) {
            std::vector<std::string> list;
            for (const auto& a : ages.as_array()) list.emplace_back(a.as_string());
            zone.approved_for.emplace_back(std::string(model), std::move(list));
        }
        zone.note = std::string(z.at("note").as_string());
        zone.source = std::string(z.at("source").as_string());
        if (zone.source.empty()) throw std::runtime_error("zone " + zone.id + " has no source");
        s.zones.push_back(std::move(zone));
    }
    for (const auto& a : o.at("avoid").as_array()) {
        AvoidArea area;
        area.id = std::string(a.at("id").as_string());
        area.name = std::string(a.at("name").as_string());
        area.view = std::string(a.at("view").as_string());
        area.reason = std::string(a.at("reason").as_string());
        area.source = std::string(a.at("source").as_string());
        if (auto c = a.as_object().if_contains("circle")) {
            area.centre = Point{c->at("x").to_number<double>(), c->at("y").to_number<double>()};
            area.radius = c->at("r").to_number<double>();
            area.polygon = circle_polygon(*area.centre, area.radius);
        } else {
            area.polygon = to_polygon(a.at("polygon"));
        }
        s.avoid.push_back(std::move(area));
    }
    for (const auto& [kind, rule] : o.at("obstacles").as_object()) {
        s.obstacle_rules.push_back(ObstacleRule{
            std::string(kind), std::string(rule.at("name").as_string()),
            std::string(rule.at("reason").as_string()), std::string(rule.at("source").as_string()),
            rule.at("r_inches").to_number<double>()});
    }
    return s;
}

const Sites& builtin_sites() {
    static const Sites sites = [] {
        for (const auto& f : storage::embedded_data_files())
            if (f.name == "pin_dexcom_sites.json") return parse_sites(f.contents);
        throw std::runtime_error("pin_dexcom_sites.json is not compiled into this binary");
    }();
    return sites;
}

Verdict judge(const Sites& sites, const std::string& model, const std::string& age_group,
              const std::string& view, const Point& p, const std::vector<Obstacle>& obstacles) {
    Verdict v;
    // Distance to the nearest approved zone for this model and age, on this view.
    double nearest = std::numeric_limits<double>::max();
    for (const auto& z : sites.zones) {
        if (z.view != view || !z.approved(model, age_group)) continue;
        nearest = std::min(nearest, inside(z.polygon, p) ? 0.0 : distance_to_edge(z.polygon, p));
    }
    v.distance =
        nearest == std::numeric_limits<double>::max() ? -1 : std::round(nearest * 1000) / 1000;

    bool on_body = std::any_of(sites.body.begin(), sites.body.end(),
                               [&](const Polygon& part) { return inside(part, p); });
    if (!on_body) {
        v.reason = "That is off the body: place the sensor on the skin.";
        return v;
    }
    // The round's obstacles first: they are what this round is testing.
    for (const auto& o : obstacles) {
        if (o.view != view) continue;
        for (const auto& rule : sites.obstacle_rules) {
            if (rule.kind == o.kind &&
                aspect_distance(o.at, p) <= rule.radius_inches * sites.inch) {
                v.zone = o.kind;
                v.reason = rule.reason;
                return v;
            }
        }
    }
    for (const auto& a : sites.avoid) {
        if ((a.view == view || a.view == "both") && a.contains(p)) {
            v.zone = a.id;
            v.reason = a.reason;
            return v;
        }
    }
    for (const auto& z : sites.zones) {
        if (z.view != view || !inside(z.polygon, p)) continue;
        v.zone = z.id;
        if (z.approved(model, age_group)) {
            v.correct = true;
            // 50 for being on an approved site, up to 50 more for being well inside it (one inch
            // from every edge earns full marks).
            double depth = distance_to_edge(z.polygon, p);
            v.score =
                50 + static_cast<int>(std::lround(50 * std::clamp(depth / sites.inch, 0.0, 1.0)));
            v.reason = "Good spot: " + z.name + " is an approved site. " + z.note;
        } else {
            v.reason = z.name + " is not an approved site for this sensor and age. " + z.note;
        }
        return v;
    }
    v.reason = "That part of the body is not an approved sensor site for this model.";
    return v;
}

json::value sites_json(const Sites& sites, const std::string& model, const std::string& age_group) {
    json::array zones, avoid, body, rules;
    for (const auto& z : sites.zones)
        zones.push_back(json::object{{"id", z.id},
                                     {"name", z.name},
                                     {"view", z.view},
                                     {"approved", z.approved(model, age_group)},
                                     {"polygon", polygon_json(z.polygon)},
                                     {"note", z.note},
                                     {"source", z.source}});
    for (const auto& a : sites.avoid)
        avoid.push_back(json::object{{"id", a.id},
                                     {"name", a.name},
                                     {"view", a.view},
                                     {"polygon", polygon_json(a.polygon)},
                                     {"reason", a.reason},
                                     {"source", a.source}});
    for (const auto& part : sites.body) body.push_back(polygon_json(part));
    for (const auto& r : sites.obstacle_rules)
        rules.push_back(json::object{{"kind", r.kind},
                                     {"name", r.name},
                                     {"radius", r.radius_inches * sites.inch},
                                     {"reason", r.reason},
                                     {"source", r.source}});
    return json::object{{"model", model},
                        {"age_group", age_group},
                        {"zones", std::move(zones)},
                        {"avoid", std::move(avoid)},
                        {"body", std::move(body)},
                        {"obstacles", std::move(rules)},
                        {"models", sites.models},
                        {"picture", json::object{{"width", 400}, {"height", 800}}},
                        {"inch", sites.inch},
                        {"uncertainty", sites.uncertainty}};
}

}  // namespace glucoplay::pin
