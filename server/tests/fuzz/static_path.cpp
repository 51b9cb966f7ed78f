// Fuzz target: the static-file path resolver of the web listener (http::safe_relative_path and
// http::StaticSite::handle). The input is a request target as sent on the wire
// ("/assets/%2e%2e/x"), optionally followed by a newline and an If-None-Match value. The site root
// holds a few files, a symlink that leads out of the root and one into a sibling directory whose
// name extends the root's ("root-evil"); secrets live outside the root. Invariants: a resolved path
// is relative, has no ".", ".." or hidden component and stays under the root; the answer is
// 200/304/400/404 and a 200 is always one of the files inside the root.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "http/static_files.hpp"

using namespace glucoplay;
namespace fs = std::filesystem;

namespace {

struct Site {
    fs::path dir;
    fs::path root;
    std::set<std::string> served;  // contents of every file inside the root
    std::unique_ptr<http::StaticSite> site;

    Site() {
        dir = fs::temp_directory_path() / ("gp-fuzz-static-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        root = dir / "root";
        fs::create_directories(root / "assets");
        fs::create_directories(dir / "outside");
        fs::create_directories(dir / "root-evil");
        write(root / "index.html", "<!doctype html><title>home</title>", true);
        write(root / "racing.html", "<!doctype html><title>racing</title>", true);
        write(root / "assets" / "app-1a2b3c.js", "console.log('app');", true);
        write(root / "robots.txt", "User-agent: *", true);
        write(root / ".env", "SECRET=dotfile", false);
        write(dir / "outside" / "secret.txt", "SECRET outside the root", false);
        write(dir / "root-evil" / "secret.txt", "SECRET in a sibling named like the root", false);
        write(dir / "secret.txt", "SECRET next to the root", false);
        fs::create_directory_symlink("../outside", root / "escape");
        fs::create_directory_symlink("../root-evil", root / "evil");
        fs::create_symlink("../secret.txt", root / "link.txt");
        site = std::make_unique<http::StaticSite>(root);
        root = site->root();  // canonical
    }
    ~Site() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void write(const fs::path& p, const std::string& content, bool inside) {
        std::ofstream(p, std::ios::binary) << content;
        if (inside) served.insert(content);
    }
};

bool under_root(const fs::path& root, const fs::path& p) {
    auto [r, _] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
    return r == root.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Site s;
    std::string_view input = fuzz::as_text(data, size);
    std::string_view target = input.substr(0, input.find('\n'));
    http::Request req;
    req.method = http::Method::get;
    if (!http::parse_target(req, target)) return 0;  // the listener answers 400 itself
    if (target.size() < input.size())
        req.headers.set("If-None-Match", std::string(input.substr(target.size() + 1)));

    if (auto rel = http::safe_relative_path(req.segments)) {
        const std::string shown = rel->string();
        fuzz::check(rel->is_relative(), "resolved path is relative", shown);
        for (const auto& part : *rel) {
            const std::string p = part.string();
            fuzz::check(!p.empty() && p.front() != '.' && p.find('\\') == std::string::npos,
                        "no '.', '..', hidden or backslash component", shown);
        }
        fuzz::check(under_root(s.root, (s.root / *rel).lexically_normal()),
                    "resolved path stays under the root", shown);
    }

    http::Response res = s.site->handle(req);
    fuzz::check(res.status == 200 || res.status == 304 || res.status == 400 || res.status == 404,
                "status is 200, 304, 400 or 404", std::to_string(res.status));
    if (res.status == 200)
        fuzz::check(s.served.count(std::string(res.body_view())) == 1,
                    "a 200 serves a file inside the root", std::string(res.body_view()));
    return 0;
}
