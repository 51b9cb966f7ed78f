// docs/openapi.yaml and the route table must agree: every registered route is documented and every
// documented operation is served.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "app/app.hpp"

#ifndef GLUCOPLAY_SOURCE_DIR
#error "GLUCOPLAY_SOURCE_DIR must name the repository root"
#endif

using namespace glucoplay;

namespace {

// Reads "  /path:" and "    method:" lines (the layout the file's header comment asks for).
std::set<std::string> documented_operations() {
    std::ifstream in(std::filesystem::path(GLUCOPLAY_SOURCE_DIR) / "docs" / "openapi.yaml");
    EXPECT_TRUE(in.good()) << "docs/openapi.yaml missing";
    static const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
    static const std::regex method_re(R"(^    (get|post|put|patch|delete):\s*$)");
    std::set<std::string> ops;
    std::string line, current;
    bool in_paths = false;
    while (std::getline(in, line)) {
        if (line == "paths:") {
            in_paths = true;
            continue;
        }
        if (!in_paths) continue;
        if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
        std::smatch m;
        if (std::regex_match(line, m, path_re))
            current = m[1];
        else if (std::regex_match(line, m, method_re) && !current.empty()) {
            std::string method = m[1];
            for (auto& c : method) c = static_cast<char>(std::toupper(c));
            ops.insert(method + " " + current);
        }
    }
    return ops;
}

}  // namespace

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedPathIsServed) {
    auto dir =
        std::filesystem::temp_directory_path() / ("gp-openapi-" + std::to_string(::getpid()));
    app::Config cfg;
    cfg.data_dir = dir;
    cfg.database = "sqlite:" + (dir / "t.db").string();
    auto ctx = app::make_context(cfg);
    http::Router router = app::build_router(*ctx);

    std::set<std::string> served;
    for (const auto& r : router.routes())
        served.insert(std::string(http::to_string(r.method)) + " " + r.pattern);
    std::set<std::string> documented = documented_operations();
    ASSERT_FALSE(documented.empty());
    for (const auto& op : served)
        EXPECT_TRUE(documented.count(op)) << op << " is served but not in docs/openapi.yaml";
    for (const auto& op : documented)
        EXPECT_TRUE(served.count(op)) << op << " is in docs/openapi.yaml but not served";
    ctx.reset();
    std::filesystem::remove_all(dir);
}
