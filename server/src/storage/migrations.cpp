#include "storage/migrations.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "util/time.hpp"

namespace glucoplay::storage {

const std::string& Migration::sql_for(Dialect d) const {
    const std::string& specific = d == Dialect::sqlite ? sqlite : postgres;
    if (!specific.empty()) return specific;
    if (!common.empty()) return common;
    throw DbError("migration " + std::to_string(version) + " has no script for " +
                  std::string(to_string(d)));
}

std::vector<Migration> parse_migrations(const std::vector<EmbeddedFile>& files) {
    static const std::regex pattern(R"(^(\d{3})_([a-z0-9_]+?)(?:\.(sqlite|postgres))?\.sql$)");
    std::map<int, Migration> by_version;
    for (const auto& f : files) {
        std::string name(f.name);
        std::smatch m;
        if (!std::regex_match(name, m, pattern))
            throw DbError("migration file name not of the form NNN_name[.sqlite|.postgres].sql: " +
                          name);
        int version = std::stoi(m[1]);
        Migration& mig = by_version[version];
        if (mig.version != 0 && mig.name != m[2].str())
            throw DbError("two migrations share version " + m[1].str());
        mig.version = version;
        mig.name = m[2];
        std::string& slot = m[3] == "sqlite"     ? mig.sqlite
                            : m[3] == "postgres" ? mig.postgres
                                                 : mig.common;
        slot = std::string(f.contents);
    }
    std::vector<Migration> out;
    for (auto& [_, mig] : by_version) out.push_back(std::move(mig));
    return out;
}

const std::vector<Migration>& builtin_migrations() {
    static const std::vector<Migration> migrations = parse_migrations(embedded_migration_files());
    return migrations;
}

static int current_version(Connection& c) {
    auto r = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return static_cast<int>(r.rows.at(0).int64(0));
}

MigrationReport migrate(Database& db, const std::vector<Migration>& migrations) {
    db.with_connection([](Connection& c) {
        c.execute_script(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)");
    });
    MigrationReport report;
    int newest_known = migrations.empty() ? 0 : migrations.back().version;
    for (const auto& mig : migrations) {
        // Each migration and its record commit together; a concurrent starter re-checks the
        // version inside its own transaction and skips what is already applied.
        bool applied = db.transaction([&](Connection& c) {
            int current = current_version(c);
            if (current > newest_known)
                throw DbError("database schema version " + std::to_string(current) +
                              " is newer than this build knows (" + std::to_string(newest_known) +
                              "); upgrade glucoplay");
            if (mig.version <= current) return false;
            c.execute_script(mig.sql_for(db.dialect()));
            c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    {static_cast<std::int64_t>(mig.version), mig.name, util::now_rfc3339()});
            return true;
        });
        if (applied) report.applied.push_back(mig.version);
    }
    report.current = db.with_connection([](Connection& c) { return current_version(c); });
    return report;
}

}  // namespace glucoplay::storage
