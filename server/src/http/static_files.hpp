#pragma once

// Serves the built web UI (web/dist): MIME types, strong ETags with If-None-Match -> 304,
// long-lived caching for Vite's hashed assets, an SPA fallback to index.html, and no way out of
// the root (decoded "..", encoded separators, hidden files and symlinks leaving the root refused).

#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/request.hpp"

namespace glucoplay::http {

// Turns decoded URL path segments into a relative file path, or nullopt when any segment could
// escape the root or name a hidden file: "..", ".", segments starting with '.', containing '/',
// '\\', NUL or other control characters. An empty last segment (trailing slash) means the
// directory's index.html.
std::optional<std::filesystem::path> safe_relative_path(const std::vector<std::string>& segments);

std::string_view mime_type_for(const std::filesystem::path& file);

// True when an If-None-Match header value matches the ETag (list and "*" forms, weak compare).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

class StaticSite {
  public:
    explicit StaticSite(std::filesystem::path root);

    // GET/HEAD only. Never throws for ordinary bad input: answers 400/404/405 itself.
    Response handle(const Request& req) const;
    const std::filesystem::path& root() const { return root_; }

  private:
    struct CachedFile {
        std::shared_ptr<const std::string> content;  // answered as it is, never copied
        std::string etag;
        std::filesystem::file_time_type mtime;
    };
    // Loads the file (or returns the cached copy when unchanged on disk); nullopt if not a
    // regular file inside the root.
    std::optional<CachedFile> load(const std::filesystem::path& relative) const;
    Response serve(const std::filesystem::path& relative, const CachedFile& file,
                   const Request& req) const;

    std::filesystem::path root_;
    mutable std::shared_mutex mutex_;
    mutable std::unordered_map<std::string, CachedFile> cache_;
};

}  // namespace glucoplay::http
