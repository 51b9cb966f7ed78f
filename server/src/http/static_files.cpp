#include "http/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace glucoplay::http {

namespace fs = std::filesystem;

std::optional<fs::path> safe_relative_path(const std::vector<std::string>& segments) {
    fs::path rel;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& s = segments[i];
        if (s.empty()) {
            if (i + 1 == segments.size()) break;  // trailing slash: directory index
            return std::nullopt;                  // "//" inside the path
        }
        if (s.front() == '.') return std::nullopt;  // "..", ".", dotfiles
        for (unsigned char c : s) {
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F || c == ':') return std::nullopt;
        }
        rel /= s;
    }
    if (segments.empty() || segments.back().empty()) rel /= "index.html";
    return rel;
}

std::string_view mime_type_for(const fs::path& file) {
    static const std::unordered_map<std::string, std::string_view> types = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".csv", "text/csv; charset=utf-8"},
        {".wasm", "application/wasm"},
    };
    auto it = types.find(file.extension().string());
    return it == types.end() ? std::string_view("application/octet-stream") : it->second;
}

bool etag_matches(std::string_view header, std::string_view etag) {
    auto strip_weak = [](std::string_view t) {
        if (t.starts_with("W/")) t.remove_prefix(2);
        return t;
    };
    std::string_view want = strip_weak(etag);
    while (!header.empty()) {
        std::size_t comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (item == "*" || strip_weak(item) == want) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

// FNV-1a, 64-bit: a content fingerprint for ETags (not a security function).
static std::uint64_t fnv1a(std::string_view data) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

StaticSite::StaticSite(fs::path root) : root_(fs::weakly_canonical(root)) {}

std::optional<StaticSite::CachedFile> StaticSite::load(const fs::path& relative) const {
    std::error_code ec;
    fs::path full = root_ / relative;
    // Resolve symlinks and make sure the target is still inside the root.
    fs::path canonical = fs::canonical(full, ec);
    if (ec) return std::nullopt;
    auto [root_end, _] =
        std::mismatch(root_.begin(), root_.end(), canonical.begin(), canonical.end());
    if (root_end != root_.end()) return std::nullopt;
    if (!fs::is_regular_file(canonical, ec)) return std::nullopt;
    auto mtime = fs::last_write_time(canonical, ec);
    if (ec) return std::nullopt;

    std::string key = relative.generic_string();
    {
        std::shared_lock lock(mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.mtime == mtime) return it->second;
    }
    std::ifstream in(canonical, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buf;
    buf << in.rdbuf();
    CachedFile file{std::make_shared<const std::string>(buf.str()), "", mtime};
    file.etag = fmt::format("\"{:x}-{:016x}\"", file.content->size(), fnv1a(*file.content));
    std::unique_lock lock(mutex_);
    cache_[key] = file;
    return file;
}

Response StaticSite::serve(const fs::path& relative, const CachedFile& file,
                           const Request& req) const {
    Response res;
    res.headers.set("ETag", file.etag);
    // Vite puts content-hashed files under assets/: they never change, so cache them for a year.
    // HTML must be revalidated so a new deployment is picked up at once.
    std::string first = relative.begin() == relative.end() ? "" : relative.begin()->string();
    if (first == "assets")
        res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
    else if (relative.extension() == ".html")
        res.headers.set("Cache-Control", "no-cache");
    else
        res.headers.set("Cache-Control", "public, max-age=3600");

    if (auto inm = req.header("If-None-Match"); inm && etag_matches(*inm, file.etag)) {
        res.status = 304;
        return res;
    }
    res.status = 200;
    res.headers.set("Content-Type", std::string(mime_type_for(relative)));
    res.shared_body = file.content;
    return res;
}

Response StaticSite::handle(const Request& req) const {
    if (req.method != Method::get && req.method != Method::head) {
        Response r = Response::text(405, "method not allowed\n");
        r.headers.set("Allow", "GET, HEAD");
        return r;
    }
    auto relative = safe_relative_path(req.segments);
    if (!relative) return Response::text(400, "invalid path\n");

    if (auto file = load(*relative)) return serve(*relative, *file, req);

    // Pretty URLs for the multi-page app: /racing -> racing.html.
    if (!relative->has_extension()) {
        fs::path html = *relative;
        html += ".html";
        if (auto file = load(html)) return serve(html, *file, req);
        // SPA fallback: any other extension-less path gets the home page.
        if (auto index = load("index.html")) return serve("index.html", *index, req);
    }
    return Response::text(404, "not found\n");
}

}  // namespace glucoplay::http
