#include "seed_store.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <charconv>
#include <stdexcept>
#include <utility>

#include "storage/postgres/postgres_database.hpp"

namespace bench {
namespace {

std::string column_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c;
    return out;
}

// ---- SQLite -----------------------------------------------------------------------------------

struct SqliteStmt {
    sqlite3* db;
    sqlite3_stmt* s = nullptr;
    SqliteStmt(sqlite3* d, const std::string& sql) : db(d) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error("prepare " + sql.substr(0, 60) + ": " + sqlite3_errmsg(db));
    }
    SqliteStmt(const SqliteStmt&) = delete;
    SqliteStmt& operator=(const SqliteStmt&) = delete;
    ~SqliteStmt() { sqlite3_finalize(s); }
    bool row() {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
        return false;
    }
    std::string text(int col) { return reinterpret_cast<const char*>(sqlite3_column_text(s, col)); }
};

class SqliteRows final : public RowWriter {
  public:
    SqliteRows(sqlite3* db, const std::string& table, const std::vector<std::string>& columns)
        : stmt_(db, insert_sql(table, columns)), fields_(static_cast<int>(columns.size())) {}
    RowWriter& i(std::int64_t v) override {
        sqlite3_bind_int64(stmt_.s, next(), v);
        return *this;
    }
    RowWriter& d(double v) override {
        sqlite3_bind_double(stmt_.s, next(), v);
        return *this;
    }
    RowWriter& t(std::string_view v) override {
        sqlite3_bind_text(stmt_.s, next(), v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    RowWriter& null() override {
        sqlite3_bind_null(stmt_.s, next());
        return *this;
    }
    void end_row() override {
        if (bound_ != fields_) throw std::logic_error("row with the wrong number of fields");
        bound_ = 0;
        int rc = sqlite3_step(stmt_.s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            throw std::runtime_error(std::string("insert failed: ") + sqlite3_errmsg(stmt_.db));
        sqlite3_reset(stmt_.s);
    }
    void finish() override {}

  private:
    static std::string insert_sql(const std::string& table,
                                  const std::vector<std::string>& columns) {
        std::string sql = "INSERT INTO " + table + " (" + column_list(columns) + ") VALUES (";
        for (std::size_t k = 0; k < columns.size(); ++k) sql += k ? ", ?" : "?";
        return sql + ")";
    }
    int next() {
        if (bound_ == fields_) throw std::logic_error("row with too many fields");
        return ++bound_;
    }
    SqliteStmt stmt_;
    int fields_, bound_ = 0;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(const std::string& path, bool load) : path_(path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + path + ": " + msg);
        }
        sqlite3_busy_timeout(db_, 10000);
        exec(load ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;"
                  : "PRAGMA synchronous=OFF;");
    }
    ~SqliteStore() override { sqlite3_close(db_); }

    std::unique_ptr<RowWriter> rows(const std::string& table,
                                    const std::vector<std::string>& columns) override {
        return std::make_unique<SqliteRows>(db_, table, columns);
    }
    // IMMEDIATE: the write lock from the start, so a running server's writers wait for us.
    void begin() override { exec("BEGIN IMMEDIATE"); }
    void commit() override { exec("COMMIT"); }
    void drop_indexes(const std::vector<std::string>& tables) override {
        for (const auto& table : tables) {
            SqliteStmt q(db_,
                         "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                         "NULL AND tbl_name = ?");
            sqlite3_bind_text(q.s, 1, table.data(), static_cast<int>(table.size()),
                              SQLITE_TRANSIENT);
            while (q.row()) saved_.emplace_back(q.text(0), q.text(1));
        }
        for (const auto& [name, _] : saved_) exec("DROP INDEX \"" + name + "\"");
    }
    void restore_indexes() override {
        for (const auto& [_, sql] : saved_) exec(sql);
        saved_.clear();
    }
    std::vector<FoodRow> foods() override {
        std::vector<FoodRow> out;
        SqliteStmt q(db_,
                     "SELECT id, name, gi, carbs_per_100g, fiber_per_100g, serving_g FROM foods");
        while (q.row())
            out.push_back(FoodRow{sqlite3_column_int64(q.s, 0), q.text(1),
                                  sqlite3_column_type(q.s, 2) == SQLITE_NULL
                                      ? std::nullopt
                                      : std::optional<std::int64_t>(sqlite3_column_int64(q.s, 2)),
                                  sqlite3_column_double(q.s, 3), sqlite3_column_double(q.s, 4),
                                  sqlite3_column_double(q.s, 5)});
        return out;
    }
    std::int64_t next_id(const std::string& table) override {
        SqliteStmt q(db_, "SELECT COALESCE(MAX(id), 0) + 1 FROM " + table);
        return q.row() ? sqlite3_column_int64(q.s, 0) : 1;
    }
    // INTEGER PRIMARY KEY continues after the largest rowid by itself.
    void after_load(const std::vector<std::string>&) override {
        exec("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);");
    }
    std::string after_load_what() const override { return "PRAGMA optimize, WAL checkpoint"; }
    void reset_sequences(const std::vector<std::string>&) override {}
    void lock_like_the_server() override {}
    std::string describe() const override { return "SQLite"; }

  private:
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error(sql.substr(0, 60) + ": " + msg);
        }
    }
    std::string path_;
    sqlite3* db_ = nullptr;
    std::vector<std::pair<std::string, std::string>> saved_;  // index name, CREATE INDEX sql
};

// ---- PostgreSQL -------------------------------------------------------------------------------

struct PgResult {
    PGresult* r;
    explicit PgResult(PGresult* res) : r(res) {}
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    ~PgResult() { PQclear(r); }
};

// Throws unless `r` has status `want`.
void check(PGconn* conn, PGresult* r, ExecStatusType want, std::string_view what) {
    if (r && PQresultStatus(r) == want) return;
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    throw std::runtime_error(std::string(what.substr(0, 80)) + ": " + msg);
}

// COPY text format: fields separated by tabs, rows by newlines, NULL as \N, and backslash, tab,
// newline and carriage return escaped with a backslash. Rows are buffered and sent as one COPY
// statement per megabyte, so writers of two tables can take turns on the one connection (the
// scores and their game sessions are generated together) where a single long COPY could not.
class PgCopyRows final : public RowWriter {
  public:
    PgCopyRows(PGconn* conn, const std::string& table, const std::vector<std::string>& columns)
        : conn_(conn),
          copy_("COPY " + table + " (" + column_list(columns) + ") FROM STDIN"),
          fields_(columns.size()) {
        buffer_.reserve(kFlushAt + 4096);
    }
    RowWriter& i(std::int64_t v) override {
        separator();
        char tmp[24];
        auto [end, _] = std::to_chars(tmp, tmp + sizeof tmp, v);
        buffer_.append(tmp, end);
        return *this;
    }
    RowWriter& d(double v) override {
        separator();
        char tmp[32];  // shortest round-trip form: PostgreSQL reads back the same double
        auto [end, _] = std::to_chars(tmp, tmp + sizeof tmp, v);
        buffer_.append(tmp, end);
        return *this;
    }
    RowWriter& t(std::string_view v) override {
        separator();
        for (char ch : v) {
            switch (ch) {
                case '\\':
                    buffer_ += "\\\\";
                    break;
                case '\t':
                    buffer_ += "\\t";
                    break;
                case '\n':
                    buffer_ += "\\n";
                    break;
                case '\r':
                    buffer_ += "\\r";
                    break;
                default:
                    buffer_ += ch;
            }
        }
        return *this;
    }
    RowWriter& null() override {
        separator();
        buffer_ += "\\N";
        return *this;
    }
    void end_row() override {
        if (in_row_ != fields_) throw std::logic_error("row with the wrong number of fields");
        in_row_ = 0;
        buffer_ += '\n';
        if (buffer_.size() >= kFlushAt) flush();
    }
    void finish() override { flush(); }

  private:
    static constexpr std::size_t kFlushAt = 1 << 20;
    void separator() {
        if (in_row_ == fields_) throw std::logic_error("row with too many fields");
        if (in_row_++) buffer_ += '\t';
    }
    void flush() {
        if (buffer_.empty()) return;
        {
            PgResult start(PQexec(conn_, copy_.c_str()));
            check(conn_, start.r, PGRES_COPY_IN, copy_);
        }
        const bool sent =
            PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) == 1;
        PQputCopyEnd(conn_, sent ? nullptr : "glucoplay-bench-seed: could not send the rows");
        PgResult end(PQgetResult(conn_));
        while (PGresult* more = PQgetResult(conn_)) PQclear(more);
        check(conn_, end.r, PGRES_COMMAND_OK, copy_);
        buffer_.clear();
    }
    PGconn* conn_;
    std::string copy_, buffer_;
    std::size_t fields_, in_row_ = 0;
};

class PgStore final : public Store {
  public:
    PgStore(const std::string& url, bool load) : url_(url) {
        conn_ = PQconnectdb(url.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
            PQfinish(conn_);
            throw std::runtime_error("cannot connect to PostgreSQL: " + msg);
        }
        exec("SET client_encoding = 'UTF8'; SET client_min_messages = warning");
        if (load) {
            // Index builds after the load get more memory than the 64 MB default.
            exec("SET maintenance_work_mem = '256MB'");
            // No per-row foreign-key triggers (needs a superuser, which the throwaway cluster's
            // user is): the SQLite seeder's connection does not enforce foreign keys either.
            exec("SET session_replication_role = replica");
        }
    }
    ~PgStore() override { PQfinish(conn_); }

    std::unique_ptr<RowWriter> rows(const std::string& table,
                                    const std::vector<std::string>& columns) override {
        return std::make_unique<PgCopyRows>(conn_, table, columns);
    }
    void begin() override { exec("BEGIN"); }
    void commit() override { exec("COMMIT"); }
    void drop_indexes(const std::vector<std::string>& tables) override {
        for (const auto& table : tables) {
            // Indexes of the table that back no constraint (primary keys and UNIQUE stay).
            const char* sql =
                "SELECT quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)";
            const char* params[] = {table.c_str()};
            PgResult r(PQexecParams(conn_, sql, 1, nullptr, params, nullptr, nullptr, 0));
            check(conn_, r.r, PGRES_TUPLES_OK, sql);
            for (int k = 0; k < PQntuples(r.r); ++k)
                saved_.emplace_back(PQgetvalue(r.r, k, 0), PQgetvalue(r.r, k, 1));
        }
        for (const auto& [name, _] : saved_) exec("DROP INDEX " + name);
    }
    void restore_indexes() override {
        for (const auto& [_, sql] : saved_) exec(sql);
        saved_.clear();
    }
    std::vector<FoodRow> foods() override {
        PgResult r(PQexec(conn_,
                          "SELECT id, name, gi, carbs_per_100g, fiber_per_100g, serving_g FROM "
                          "foods ORDER BY id"));
        check(conn_, r.r, PGRES_TUPLES_OK, "SELECT ... FROM foods");
        std::vector<FoodRow> out;
        for (int k = 0; k < PQntuples(r.r); ++k)
            out.push_back(FoodRow{int64(r.r, k, 0), PQgetvalue(r.r, k, 1),
                                  PQgetisnull(r.r, k, 2)
                                      ? std::nullopt
                                      : std::optional<std::int64_t>(int64(r.r, k, 2)),
                                  real(r.r, k, 3), real(r.r, k, 4), real(r.r, k, 5)});
        return out;
    }
    std::int64_t next_id(const std::string& table) override {
        PgResult r(PQexec(conn_, ("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).c_str()));
        check(conn_, r.r, PGRES_TUPLES_OK, "SELECT MAX(id) FROM " + table);
        return int64(r.r, 0, 0);
    }
    void after_load(const std::vector<std::string>& tables) override {
        reset_sequences(tables);
        // Statistics for the planner, and the visibility map and hint bits set now rather than
        // by the first queries (or autovacuum) in the middle of a measurement.
        std::string list;
        for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
        exec("VACUUM (ANALYZE) " + list);
    }
    void lock_like_the_server() override {
        exec("SELECT pg_advisory_xact_lock(" + std::to_string(glucoplay::storage::kWriteLockKey) +
             ")");
    }
    std::string after_load_what() const override { return "identity sequences, VACUUM (ANALYZE)"; }
    std::string describe() const override { return "PostgreSQL"; }

    // As migrate-data leaves them: the next id is the largest copied id + 1.
    void reset_sequences(const std::vector<std::string>& tables) override {
        for (const auto& table : tables) {
            const char* sql =
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = $1 AND is_identity = 'YES'";
            const char* params[] = {table.c_str()};
            PgResult r(PQexecParams(conn_, sql, 1, nullptr, params, nullptr, nullptr, 0));
            check(conn_, r.r, PGRES_TUPLES_OK, sql);
            for (int k = 0; k < PQntuples(r.r); ++k) {
                std::string col = PQgetvalue(r.r, k, 0);
                exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + col +
                     "'), COALESCE((SELECT MAX(" + col + ") FROM " + table + "), 0) + 1, false)");
            }
        }
    }

  private:
    static std::int64_t int64(PGresult* r, int row, int col) {
        std::string_view s(PQgetvalue(r, row, col));
        std::int64_t v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v;
    }
    static double real(PGresult* r, int row, int col) {
        std::string_view s(PQgetvalue(r, row, col));
        double v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v;
    }
    void exec(const std::string& sql) {
        PGresult* raw = PQexec(conn_, sql.c_str());
        PgResult r(raw);
        if (raw && PQresultStatus(raw) == PGRES_TUPLES_OK) return;
        check(conn_, raw, PGRES_COMMAND_OK, sql);
    }
    std::string url_;
    PGconn* conn_ = nullptr;
    std::vector<std::pair<std::string, std::string>> saved_;  // quoted index name, definition
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& database, bool load) {
    if (database.starts_with("postgres://") || database.starts_with("postgresql://"))
        return std::make_unique<PgStore>(database, load);
    std::string path = database.starts_with("sqlite:") ? database.substr(7) : database;
    return std::make_unique<SqliteStore>(path, load);
}

}  // namespace bench
