#include "support/test_database.hpp"

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

#include "app/app.hpp"

namespace glucoplay::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTemplate = "glucoplay_test_template";
constexpr std::int64_t kTemplateLock = 0x67707465'6d706c74;  // "gptemplt"

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// postgres://user@host:port/postgres?opts -> the same URL naming database `db`.
std::string url_with_database(const std::string& url, const std::string& db) {
    std::size_t start = url.find("://");
    if (start == std::string::npos) throw std::runtime_error("bad GLUCOPLAY_TEST_POSTGRES");
    std::size_t slash = url.find('/', start + 3);
    std::size_t query = url.find('?', start + 3);
    std::string base = url.substr(0, std::min(slash, query));
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + db + rest;
}

// Databases this process created, by directory; dropped on exit.
class Registry {
  public:
    static Registry& get() {
        static Registry r;
        return r;
    }
    ~Registry() {
        std::lock_guard lock(mutex_);
        for (const auto& [_, name] : by_dir_) drop(name);
        for (const auto& name : scratch_) drop(name);
    }

    std::string url_for(const fs::path& dir, bool empty) {
        std::lock_guard lock(mutex_);
        auto key = fs::weakly_canonical(dir).string();
        auto it = by_dir_.find(key);
        if (it == by_dir_.end()) it = by_dir_.emplace(key, create(empty)).first;
        return url_with_database(admin_url(), it->second);
    }

    void drop_for(const fs::path& dir) {
        std::lock_guard lock(mutex_);
        auto it = by_dir_.find(fs::weakly_canonical(dir).string());
        if (it == by_dir_.end()) return;
        drop(it->second);
        by_dir_.erase(it);
    }

    std::string scratch() {
        std::lock_guard lock(mutex_);
        scratch_.push_back(create(true));
        return url_with_database(admin_url(), scratch_.back());
    }

  private:
    static std::string admin_url() {
        std::string url = env("GLUCOPLAY_TEST_POSTGRES");
        if (url.empty())
            throw std::runtime_error(
                "GLUCOPLAY_TEST_DIALECT=postgres needs GLUCOPLAY_TEST_POSTGRES (run the tests "
                "through scripts/pg-test-cluster run ...)");
        return url;
    }

    storage::Database& admin() {
        if (!admin_) {
            storage::DatabaseOptions o;
            o.pool_size = 1;
            admin_ = storage::open_database(admin_url(), o);
        }
        return *admin_;
    }

    // Names are generated here (never from input), so they can be spliced into DDL.
    std::string create(bool empty) {
        if (!empty) ensure_template();
        static std::atomic<int> counter{0};
        std::string name =
            "gp_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        admin().with_connection([&](storage::Connection& c) {
            c.execute_script("CREATE DATABASE " + name +
                             (empty ? std::string() : std::string(" TEMPLATE ") + kTemplate));
        });
        return name;
    }

    void drop(const std::string& name) noexcept {
        try {
            admin().with_connection([&](storage::Connection& c) {
                c.execute_script("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            });
        } catch (const std::exception&) {
            // The cluster is thrown away after the run anyway.
        }
    }

    // The template: migrated and seeded once per cluster. Concurrent test processes serialise
    // on an advisory lock; it is built under another name and renamed when complete, so a
    // crashed builder never leaves a half-migrated template.
    void ensure_template() {
        if (template_ready_) return;
        admin().with_connection([&](storage::Connection& c) {
            c.query("SELECT pg_advisory_lock(?)", {kTemplateLock});
            try {
                bool exists = !c.query("SELECT 1 FROM pg_database WHERE datname = ?",
                                       {std::string(kTemplate)})
                                   .empty();
                if (!exists) {
                    std::string building = std::string(kTemplate) + "_building";
                    c.execute_script("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
                    c.execute_script("CREATE DATABASE " + building);
                    {
                        app::Config cfg;
                        cfg.database = url_with_database(admin_url(), building);
                        cfg.db_pool_size = 1;
                        auto db = app::open_and_migrate(cfg);
                    }
                    c.execute_script("ALTER DATABASE " + building + " RENAME TO " + kTemplate);
                }
                c.query("SELECT pg_advisory_unlock(?)", {kTemplateLock});
            } catch (...) {
                c.query("SELECT pg_advisory_unlock(?)", {kTemplateLock});
                throw;
            }
        });
        template_ready_ = true;
    }

    std::mutex mutex_;
    std::unique_ptr<storage::Database> admin_;
    bool template_ready_ = false;
    std::map<std::string, std::string> by_dir_;
    std::vector<std::string> scratch_;
};

}  // namespace

bool testing_postgres() {
    std::string dialect = env("GLUCOPLAY_TEST_DIALECT");
    if (dialect == "sqlite") return false;
    if (dialect == "postgres") return true;
    return !env("GLUCOPLAY_TEST_POSTGRES").empty();
}

std::string test_dialect_name() {
    return testing_postgres() ? "postgres" : "sqlite";
}

std::string database_url_for(const fs::path& dir, bool empty) {
    if (!testing_postgres()) return "sqlite:" + (dir / "glucoplay.db").string();
    return Registry::get().url_for(dir, empty);
}

void drop_database_for(const fs::path& dir) {
    if (testing_postgres()) Registry::get().drop_for(dir);
}

std::unique_ptr<storage::Database> open_test_database(const fs::path& dir) {
    storage::DatabaseOptions o;
    o.pool_size = 2;
    return storage::open_database(database_url_for(dir), o);
}

std::vector<std::string> table_names(storage::Connection& c) {
    std::vector<std::string> out;
    auto rows = c.dialect() == storage::Dialect::sqlite
                    ? c.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                    : c.query(
                          "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
    for (const auto& r : rows.rows) out.push_back(r.text(0));
    return out;
}

std::vector<std::string> column_names(storage::Connection& c, const std::string& table) {
    std::vector<std::string> out;
    auto rows = c.dialect() == storage::Dialect::sqlite
                    ? c.query("SELECT name FROM pragma_table_info(?)", {table})
                    : c.query(
                          "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                          "current_schema() AND table_name = ? ORDER BY ordinal_position",
                          {table});
    for (const auto& r : rows.rows) out.push_back(r.text(0));
    return out;
}

std::string create_scratch_postgres_database() {
    if (!testing_postgres()) throw std::runtime_error("not testing PostgreSQL");
    return Registry::get().scratch();
}

}  // namespace glucoplay::testing
