#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/static_files.hpp"

using namespace glucoplay::http;
namespace fs = std::filesystem;

namespace {

class StaticSiteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        base_ = fs::temp_directory_path() /
                ("gp-static-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(base_);
        root_ = base_ / "dist";
        fs::create_directories(root_ / "assets");
        write(root_ / "index.html", "<!doctype html><title>home</title>");
        write(root_ / "racing.html", "<!doctype html><title>racing</title>");
        write(root_ / "assets" / "app-3f2a1b.js", "console.log('hi')");
        write(root_ / "favicon.svg", "<svg/>");
        write(root_ / ".env", "SECRET=1");
        write(base_ / "secret.txt", "outside the root");
        fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    }
    void TearDown() override { fs::remove_all(base_); }

    static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }

    Response get(const std::string& target, const std::string& if_none_match = "") {
        Request r;
        r.method = Method::get;
        if (!parse_target(r, target)) return Response::text(400, "unparseable");
        if (!if_none_match.empty()) r.headers.set("If-None-Match", if_none_match);
        return StaticSite(root_).handle(r);
    }

    fs::path base_, root_;
};

}  // namespace

TEST_F(StaticSiteTest, ServesFilesWithMimeTypes) {
    auto html = get("/");
    EXPECT_EQ(html.status, 200u);
    EXPECT_EQ(html.body_view(), "<!doctype html><title>home</title>");
    EXPECT_EQ(html.headers.get("Content-Type").value(), "text/html; charset=utf-8");
    EXPECT_EQ(get("/assets/app-3f2a1b.js").headers.get("Content-Type").value(),
              "text/javascript; charset=utf-8");
    EXPECT_EQ(get("/favicon.svg").headers.get("Content-Type").value(), "image/svg+xml");
}

TEST_F(StaticSiteTest, HashedAssetsCacheForAYearAndHtmlRevalidates) {
    EXPECT_EQ(get("/assets/app-3f2a1b.js").headers.get("Cache-Control").value(),
              "public, max-age=31536000, immutable");
    EXPECT_EQ(get("/index.html").headers.get("Cache-Control").value(), "no-cache");
    EXPECT_EQ(get("/favicon.svg").headers.get("Cache-Control").value(), "public, max-age=3600");
}

TEST_F(StaticSiteTest, EtagAndIfNoneMatchGive304) {
    auto first = get("/assets/app-3f2a1b.js");
    std::string etag(first.headers.get("ETag").value());
    EXPECT_EQ(etag.front(), '"');
    auto second = get("/assets/app-3f2a1b.js", etag);
    EXPECT_EQ(second.status, 304u);
    EXPECT_TRUE(second.body_view().empty());
    EXPECT_EQ(get("/assets/app-3f2a1b.js", "\"other\", " + etag).status, 304u);
    EXPECT_EQ(get("/assets/app-3f2a1b.js", "W/" + etag).status, 304u);
    EXPECT_EQ(get("/assets/app-3f2a1b.js", "\"stale\"").status, 200u);
}

TEST_F(StaticSiteTest, EtagChangesWhenTheFileChanges) {
    std::string before(get("/favicon.svg").headers.get("ETag").value());
    write(root_ / "favicon.svg", "<svg viewBox='0 0 1 1'/>");
    fs::last_write_time(root_ / "favicon.svg",
                        fs::file_time_type::clock::now() + std::chrono::seconds(5));
    auto after = get("/favicon.svg");
    EXPECT_NE(std::string(after.headers.get("ETag").value()), before);
    EXPECT_EQ(after.body_view(), "<svg viewBox='0 0 1 1'/>");
}

TEST_F(StaticSiteTest, PrettyUrlsAndSpaFallback) {
    EXPECT_EQ(get("/racing").body_view(), "<!doctype html><title>racing</title>");
    auto fallback = get("/some/client/route");
    EXPECT_EQ(fallback.status, 200u);
    EXPECT_EQ(fallback.body_view(), "<!doctype html><title>home</title>");
    EXPECT_EQ(get("/assets/missing.js").status, 404u);  // files with an extension do not fall back
}

TEST_F(StaticSiteTest, TraversalIsRefusedInEveryEncoding) {
    for (const char* target :
         {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
          "/..%2fsecret.txt", "/assets/..%2F..%2Fsecret.txt", "/..%5csecret.txt", "/.env",
          "/%2eenv", "/a//b", "/assets/%00.js"}) {
        auto r = get(target);
        EXPECT_NE(r.body_view(), "outside the root") << target;
        EXPECT_NE(r.body_view(), "SECRET=1") << target;
        EXPECT_TRUE(r.status == 400u || r.status == 404u) << target << " -> " << r.status;
    }
}

TEST_F(StaticSiteTest, SymlinkOutOfTheRootIsNotFollowed) {
    auto r = get("/link.txt");
    EXPECT_EQ(r.status, 404u);
    EXPECT_NE(r.body_view(), "outside the root");
}

TEST_F(StaticSiteTest, OnlyGetAndHead) {
    Request r;
    r.method = Method::post;
    parse_target(r, "/index.html");
    auto res = StaticSite(root_).handle(r);
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(res.headers.get("Allow").value(), "GET, HEAD");
}

TEST(SafeRelativePath, RejectsDangerousSegments) {
    EXPECT_EQ(safe_relative_path({}).value(), fs::path("index.html"));
    EXPECT_EQ(safe_relative_path({"assets", "a.js"}).value(), fs::path("assets/a.js"));
    EXPECT_EQ(safe_relative_path({"docs", ""}).value(), fs::path("docs/index.html"));
    EXPECT_FALSE(safe_relative_path({".."}).has_value());
    EXPECT_FALSE(safe_relative_path({"."}).has_value());
    EXPECT_FALSE(safe_relative_path({"a/b"}).has_value());
    EXPECT_FALSE(safe_relative_path({"a\\b"}).has_value());
    EXPECT_FALSE(safe_relative_path({"c:"}).has_value());
    EXPECT_FALSE(safe_relative_path({std::string("a\0b", 3)}).has_value());
}
