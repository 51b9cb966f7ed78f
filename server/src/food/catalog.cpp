#include "food/catalog.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <set>
#include <stdexcept>

#include "food/glycemic.hpp"
#include "storage/embedded_files.hpp"
#include "util/csv.hpp"

namespace glucoplay::food {

namespace json = boost::json;

namespace {

const std::vector<std::string> kHeader = {
    "name",           "category",       "plate_group", "gi",           "gi_source",
    "carbs_per_100g", "fiber_per_100g", "serving_g",   "serving_desc", "carb_source"};

std::optional<double> to_number(const std::string& s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> words_of(const std::string& folded) {
    std::vector<std::string> out;
    std::string w;
    for (char c : folded) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            w += c;
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

}  // namespace

std::string fold(std::string_view text) {
    // Two-byte UTF-8 sequences C3 80..C3 BF (Latin-1 letters) mapped to their base letter.
    static const char* latin1 =
        "aaaaaaaceeeeiiiidnooooo*ouuuuyps"   // C3 80..9F (upper case)
        "aaaaaaaceeeeiiiidnooooo/ouuuuypy";  // C3 A0..BF (lower case)
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xC3 && i + 1 < text.size()) {
            auto n = static_cast<unsigned char>(text[i + 1]);
            if (n >= 0x80 && n <= 0xBF) {
                out += latin1[n - 0x80];
                ++i;
                continue;
            }
        }
        out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    }
    return out;
}

std::vector<Food> parse_food_csv(std::string_view text) {
    util::CsvReader reader(text);
    std::vector<std::string> problems;
    auto header = reader.next();
    if (!header || header->fields != kHeader)
        throw std::runtime_error("foods.csv: header must be exactly " + [] {
            std::string h;
            for (const auto& c : kHeader) h += (h.empty() ? "" : ",") + c;
            return h;
        }());
    std::vector<Food> foods;
    std::set<std::string> names;
    while (auto row = reader.next()) {
        if (row->fields.size() == 1 && row->fields[0].empty()) continue;  // blank line
        auto problem = [&](const std::string& what) {
            problems.push_back("line " + std::to_string(row->line) + ": " + what);
        };
        if (row->fields.size() != kHeader.size()) {
            problem("expected " + std::to_string(kHeader.size()) + " fields, found " +
                    std::to_string(row->fields.size()));
            continue;
        }
        const auto& f = row->fields;
        Food food;
        food.name = f[0];
        food.category = f[1];
        food.plate_group = f[2];
        food.gi_source = f[4];
        food.serving_desc = f[8];
        food.carb_source = f[9];
        for (std::size_t i : {0u, 1u, 2u, 4u, 8u, 9u})
            if (f[i].empty()) problem(kHeader[i] + " is empty");
        if (!contains(kCategories, food.category))
            problem("unknown category '" + food.category + "'");
        if (!contains(kPlateGroups, food.plate_group))
            problem("unknown plate_group '" + food.plate_group + "'");
        if (!f[3].empty()) {
            auto gi = to_number(f[3]);
            if (!gi || *gi < 0 || *gi > 110 || *gi != static_cast<int>(*gi))
                problem("gi must be a whole number 0..110");
            else
                food.gi = static_cast<int>(*gi);
        }
        auto carbs = to_number(f[5]), fiber = to_number(f[6]), serving = to_number(f[7]);
        if (!carbs || *carbs < 0 || *carbs > 100) problem("carbs_per_100g must be 0..100");
        if (!fiber || *fiber < 0) problem("fiber_per_100g must be >= 0");
        if (carbs && fiber && *fiber > *carbs) problem("fiber_per_100g exceeds carbs_per_100g");
        if (!serving || *serving <= 0) problem("serving_g must be > 0");
        food.carbs_per_100g = carbs.value_or(0);
        food.fiber_per_100g = fiber.value_or(0);
        food.serving_g = serving.value_or(0);
        if (!names.insert(fold(food.name)).second) problem("duplicate name '" + food.name + "'");
        foods.push_back(std::move(food));
    }
    if (!reader.error().empty()) problems.push_back(reader.error());
    if (!problems.empty()) {
        std::string all = "foods.csv has " + std::to_string(problems.size()) + " problem(s):";
        for (const auto& p : problems) all += "\n  " + p;
        throw std::runtime_error(all);
    }
    return foods;
}

const std::vector<Food>& builtin_foods() {
    static const std::vector<Food> foods = [] {
        for (const auto& f : storage::embedded_data_files())
            if (f.name == "foods.csv") return parse_food_csv(f.contents);
        throw std::runtime_error("foods.csv is not compiled into this binary");
    }();
    return foods;
}

std::size_t seed_foods(storage::Connection& c, const std::vector<Food>& foods) {
    std::size_t n = 0;
    for (const auto& f : foods) {
        storage::Value gi = f.gi ? storage::Value(std::int64_t{*f.gi}) : storage::Value(nullptr);
        n += static_cast<std::size_t>(
            c.query("INSERT INTO foods (name, category, plate_group, gi, gi_source, "
                    "carbs_per_100g, fiber_per_100g, "
                    "serving_g, serving_desc, carb_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET category = excluded.category, plate_group = "
                    "excluded.plate_group, "
                    "gi = excluded.gi, gi_source = excluded.gi_source, carbs_per_100g = "
                    "excluded.carbs_per_100g, "
                    "fiber_per_100g = excluded.fiber_per_100g, serving_g = excluded.serving_g, "
                    "serving_desc = excluded.serving_desc, carb_source = excluded.carb_source",
                    {f.name, f.category, f.plate_group, gi, f.gi_source, f.carbs_per_100g,
                     f.fiber_per_100g, f.serving_g, f.serving_desc, f.carb_source})
                .affected);
    }
    return n;
}

json::value to_json(const Food& f) {
    json::object o{
        {"id", f.id},
        {"name", f.name},
        {"category", f.category},
        {"plate_group", f.plate_group},
        {"gi", f.gi ? json::value(*f.gi) : json::value(nullptr)},
        {"gi_source", f.gi_source},
        {"gi_category", f.gi ? json::value(to_string(gi_band(*f.gi))) : json::value(nullptr)},
        {"carbs_per_100g", f.carbs_per_100g},
        {"fiber_per_100g", f.fiber_per_100g},
        {"serving_g", f.serving_g},
        {"serving_desc", f.serving_desc},
        {"carb_source", f.carb_source}};
    if (f.gi) {
        double gl =
            glycemic_load(*f.gi, available_carbs(f.carbs_per_100g, f.fiber_per_100g, f.serving_g));
        o["gl_per_serving"] = std::round(gl * 10) / 10;
        o["gl_category"] = to_string(gl_band(gl));
    } else {
        o["gl_per_serving"] = nullptr;
        o["gl_category"] = nullptr;
    }
    return o;
}

FoodCatalog::FoodCatalog(std::vector<Food> foods) {
    for (auto& f : foods) {
        std::string folded = fold(f.name);
        auto words = words_of(folded);
        foods_.push_back(Entry{std::move(f), std::move(folded), std::move(words)});
    }
}

FoodCatalog FoodCatalog::load(storage::Connection& c) {
    std::vector<Food> foods;
    for (const auto& r :
         c.query("SELECT id, name, category, plate_group, gi, gi_source, carbs_per_100g, "
                 "fiber_per_100g, serving_g, serving_desc, carb_source FROM foods ORDER BY id")
             .rows) {
        Food f;
        f.id = r.int64(0);
        f.name = r.text(1);
        f.category = r.text(2);
        f.plate_group = r.text(3);
        if (!r.is_null(4)) f.gi = static_cast<int>(r.int64(4));
        f.gi_source = r.text(5);
        f.carbs_per_100g = r.real(6);
        f.fiber_per_100g = r.real(7);
        f.serving_g = r.real(8);
        f.serving_desc = r.text(9);
        f.carb_source = r.text(10);
        foods.push_back(std::move(f));
    }
    return FoodCatalog(std::move(foods));
}

const Food* FoodCatalog::find(std::int64_t id) const {
    for (const auto& e : foods_)
        if (e.food.id == id) return &e.food;
    return nullptr;
}

std::vector<const Food*> FoodCatalog::search(const Query& q) const {
    const std::string folded_query = fold(q.text);
    const auto terms = words_of(folded_query);
    struct Hit {
        const Entry* entry;
        int score;
    };
    std::vector<Hit> hits;
    for (const auto& e : foods_) {
        if (q.category && e.food.category != *q.category) continue;
        if (q.plate_group && e.food.plate_group != *q.plate_group) continue;
        int score = 0;
        bool all = true;
        for (std::size_t t = 0; t < terms.size() && all; ++t) {
            int best = 0;
            for (std::size_t w = 0; w < e.words.size(); ++w) {
                if (!e.words[w].starts_with(terms[t])) continue;
                int s = (e.words[w] == terms[t] ? 4 : 2) + (w == 0 ? 3 : 0);
                best = std::max(best, s);
            }
            all = best > 0;
            score += best;
        }
        if (!all) continue;
        if (!folded_query.empty() && e.folded.starts_with(folded_query)) score += 20;
        hits.push_back({&e, score});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.entry->food.name.size() != b.entry->food.name.size())
            return a.entry->food.name.size() < b.entry->food.name.size();
        return a.entry->folded < b.entry->folded;
    });
    std::vector<const Food*> out;
    for (const auto& h : hits) out.push_back(&h.entry->food);
    return out;
}

}  // namespace glucoplay::food
