#include "storage/backup.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>

#include "storage/database.hpp"

namespace glucoplay::storage::backup {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kDay = 86400;

struct Handle {
    sqlite3* db = nullptr;
    ~Handle() { sqlite3_close(db); }
};

void open(Handle& h, const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK)
        throw DbUnavailable("cannot open SQLite database " + path + ": " +
                            (h.db ? sqlite3_errmsg(h.db) : "out of memory"));
    sqlite3_busy_timeout(h.db, 5000);
}

// Copies every page of `from` into `to`; SQLite retries while writers hold locks.
void copy_pages(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) throw DbError(what + ": " + sqlite3_errmsg(to));
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw DbError(what + ": " + sqlite3_errstr(rc));
}

std::string checksum_path(const fs::path& file) {
    return file.string() + ".sha256";
}

std::string file_name(std::int64_t t, const char* extension = ".db") {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "glucoplay-%Y%m%dT%H%M%SZ", &tm);
    return std::string(buf) + extension;
}

// Runs a PostgreSQL client tool (no shell) with the URL's password in PGPASSWORD; returns its
// exit status and what it printed.
std::pair<int, std::string> run_pg_tool(std::vector<std::string> args, const std::string& url) {
    boost::system::result<boost::urls::url_view> parsed = boost::urls::parse_uri(url);
    if (!parsed) throw DbError("not a PostgreSQL URL");
    boost::urls::url u(*parsed);
    std::string password;
    if (u.has_password()) {
        password = u.password();
        u.remove_password();
    }
    args.push_back("--dbname=" + std::string(u.buffer()));
    int out[2];
    if (::pipe(out) != 0) throw DbError("pipe failed");
    pid_t pid = ::fork();
    if (pid < 0) throw DbError("fork failed");
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::close(out[0]);
        if (!password.empty()) ::setenv("PGPASSWORD", password.c_str(), 1);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        std::fprintf(stderr, "%s: not found (install postgresql-client-15)\n", argv[0]);
        _exit(127);
    }
    ::close(out[1]);
    std::string output;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        output.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

void check_checksum(const fs::path& file) {
    std::ifstream sum_in(checksum_path(file));
    std::string expected;
    if (!(sum_in >> expected))
        throw DbError("no checksum file " + checksum_path(file) + "; refusing to restore");
    if (sha256_file(file) != expected)
        throw DbError(file.string() + " does not match its checksum; refusing to restore");
}

// Monday-based week number since the epoch (1970-01-05 was a Monday).
std::int64_t week_of(std::int64_t t) {
    std::int64_t days = t >= 0 ? t / kDay : (t - kDay + 1) / kDay;
    return (days - 4 >= 0) ? (days - 4) / 7 : (days - 4 - 6) / 7;
}

std::int64_t day_of(std::int64_t t) {
    return t >= 0 ? t / kDay : (t - kDay + 1) / kDay;
}

}  // namespace

std::string sha256_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DbError("cannot read " + file.string());
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto n = in.gcount();
        if (n > 0)
            crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                                      static_cast<unsigned long long>(n));
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

fs::path backup_sqlite(const std::string& db_path, const fs::path& dir, std::int64_t now) {
    if (!fs::exists(db_path)) throw DbError("no SQLite database at " + db_path);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DbError("cannot create " + dir.string() + ": " + ec.message());
    const fs::path final_path = dir / file_name(now);
    const fs::path partial = final_path.string() + ".partial";
    fs::remove(partial, ec);
    {
        Handle src, dst;
        open(src, db_path, SQLITE_OPEN_READWRITE);  // WAL readers write the -shm index
        open(dst, partial.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        copy_pages(src.db, dst.db, "backup failed");
        // A self-contained file: no WAL beside it.
        sqlite3_exec(dst.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
    }
    const std::string sum = sha256_file(partial);
    fs::rename(partial, final_path, ec);
    if (ec) throw DbError("cannot rename " + partial.string() + ": " + ec.message());
    std::ofstream(checksum_path(final_path))
        << sum << "  " << final_path.filename().string() << "\n";
    return final_path;
}

std::vector<BackupFile> list_backups(const fs::path& dir) {
    static const std::regex name(
        R"(glucoplay-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(db|dump))");
    std::vector<BackupFile> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string n = e.path().filename().string();
        std::smatch m;
        if (!e.is_regular_file() || !std::regex_match(n, m, name)) continue;
        std::tm tm{};
        tm.tm_year = std::stoi(m[1]) - 1900;
        tm.tm_mon = std::stoi(m[2]) - 1;
        tm.tm_mday = std::stoi(m[3]);
        tm.tm_hour = std::stoi(m[4]);
        tm.tm_min = std::stoi(m[5]);
        tm.tm_sec = std::stoi(m[6]);
        out.push_back({e.path(), static_cast<std::int64_t>(timegm(&tm))});
    }
    std::sort(out.begin(), out.end(),
              [](const BackupFile& a, const BackupFile& b) { return a.taken_at > b.taken_at; });
    return out;
}

std::set<std::int64_t> backups_to_keep(const std::vector<std::int64_t>& taken_at, int daily,
                                       int weekly) {
    std::vector<std::int64_t> newest_first = taken_at;
    std::sort(newest_first.rbegin(), newest_first.rend());
    std::set<std::int64_t> keep;
    // Walking newest first, the first backup seen in a day (or week) is that period's newest.
    auto keep_per = [&](auto period_of, int count) {
        std::set<std::int64_t> periods;
        for (auto t : newest_first) {
            if (static_cast<int>(periods.size()) >= count) break;
            if (periods.insert(period_of(t)).second) keep.insert(t);
        }
    };
    keep_per(day_of, daily);
    keep_per(week_of, weekly);
    return keep;
}

std::vector<fs::path> prune_backups(const fs::path& dir) {
    auto all = list_backups(dir);
    std::vector<std::int64_t> times;
    for (const auto& b : all) times.push_back(b.taken_at);
    auto keep = backups_to_keep(times);
    std::vector<fs::path> removed;
    for (const auto& b : all) {
        if (keep.count(b.taken_at)) continue;
        std::error_code ec;
        fs::remove(b.path, ec);
        fs::remove(checksum_path(b.path), ec);
        removed.push_back(b.path);
    }
    return removed;
}

void restore_sqlite(const fs::path& file, const std::string& db_path) {
    check_checksum(file);
    Handle src, dst;
    open(src, file.string(), SQLITE_OPEN_READONLY);
    sqlite3_stmt* st = nullptr;
    std::string check;
    if (sqlite3_prepare_v2(src.db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        check = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (check != "ok") throw DbError(file.string() + " is not an intact SQLite database");
    st = nullptr;
    bool ours = sqlite3_prepare_v2(src.db, "SELECT MAX(version) FROM schema_migrations", -1, &st,
                                   nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!ours) throw DbError(file.string() + " is not a GlucoPlay database");
    fs::path p(db_path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path());
    open(dst, db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy_pages(src.db, dst.db, "restore failed");
}

fs::path backup_postgres(const std::string& url, const fs::path& dir, std::int64_t now) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DbError("cannot create " + dir.string() + ": " + ec.message());
    const fs::path final_path = dir / file_name(now, ".dump");
    const fs::path partial = final_path.string() + ".partial";
    fs::remove(partial, ec);
    auto [status, output] = run_pg_tool(
        {"pg_dump", "--format=custom", "--no-owner", "--file=" + partial.string()}, url);
    if (status != 0) {
        fs::remove(partial, ec);
        throw DbError("pg_dump failed: " + output);
    }
    const std::string sum = sha256_file(partial);
    fs::rename(partial, final_path, ec);
    if (ec) throw DbError("cannot rename " + partial.string() + ": " + ec.message());
    std::ofstream(checksum_path(final_path))
        << sum << "  " << final_path.filename().string() << "\n";
    return final_path;
}

void restore_postgres(const fs::path& file, const std::string& url) {
    check_checksum(file);
    auto [status, output] = run_pg_tool({"pg_restore", "--clean", "--if-exists", "--no-owner",
                                         "--single-transaction", "--exit-on-error", file.string()},
                                        url);
    if (status != 0) throw DbError("pg_restore failed (nothing was changed): " + output);
}

}  // namespace glucoplay::storage::backup
