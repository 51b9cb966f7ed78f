#include "storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <unordered_map>
#include <vector>

#include "storage/postgres/pg_dialect.hpp"

namespace glucoplay::storage {
namespace {

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool connection_lost_state(std::string_view state) {
    return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
           state == "53300";
}

// Notices ("relation already exists, skipping") go to the debug log, not to stderr.
void on_notice(void*, const char* message) {
    std::string_view m(message);
    while (!m.empty() && m.back() == '\n') m.remove_suffix(1);
    spdlog::debug("postgres notice: {}", m);
}

class PgConnection final : public Connection {
  public:
    using Connection::for_each_row;
    using Connection::query;

    explicit PgConnection(const std::string& url) {
        // Keywords listed before "dbname" are defaults the URL's own settings override.
        const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
        const char* values[] = {"5", "glucoplay", url.c_str(), nullptr};
        conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
            PQfinish(conn_);
            conn_ = nullptr;
            while (!msg.empty() && msg.back() == '\n') msg.pop_back();
            throw DbUnavailable("cannot connect to PostgreSQL: " + msg);
        }
        PQsetNoticeProcessor(conn_, on_notice, nullptr);
        // Sessions speak UTF-8 and UTC whatever the server's defaults are.
        execute_script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    }

    ~PgConnection() override { PQfinish(conn_); }

    Result query(std::string_view sql, std::span<const Value> params) override {
        ResultPtr res = execute(sql, params);
        Result result;
        const int rows = PQntuples(res.get()), cols = PQnfields(res.get());
        std::vector<unsigned> types(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) types[c] = PQftype(res.get(), c);
        result.rows.reserve(static_cast<std::size_t>(rows));
        for (int r = 0; r < rows; ++r) {
            std::vector<Value> row;
            row.reserve(static_cast<std::size_t>(cols));
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(res.get(), r, c)) {
                    row.emplace_back(nullptr);
                    continue;
                }
                std::string_view text(PQgetvalue(res.get(), r, c),
                                      static_cast<std::size_t>(PQgetlength(res.get(), r, c)));
                row.push_back(pg::decode_text_value(types[c], text));
            }
            result.rows.emplace_back(std::move(row));
        }
        std::string_view tuples = PQcmdTuples(res.get());
        if (!tuples.empty())
            std::from_chars(tuples.data(), tuples.data() + tuples.size(), result.affected);
        return result;
    }

    std::size_t for_each_row(std::string_view sql, std::span<const Value> params,
                             const RowCallback& on_row) override {
        ResultPtr res = execute(sql, params);
        RowOfResult row(res.get());
        const int rows = PQntuples(res.get());
        for (int r = 0; r < rows; ++r) on_row(row.at(r));
        return static_cast<std::size_t>(rows);
    }

    void execute_script(std::string_view sql) override {
        ResultPtr res(PQexec(conn_, std::string(sql).c_str()));
        check(res.get(), "script failed");
    }

    void begin() override {
        // One lock for every transaction: writers queue like SQLite's BEGIN IMMEDIATE.
        // Generic plans inside it: a transaction's statements find and change rows by key
        // (primary keys, a user's rows), so their plans do not depend on the values, and the
        // combined writes' long statements (a score batch's VALUES lists) were planned afresh
        // on every execution otherwise (PostgreSQL keeps custom plans while a generic one looks
        // dearer to it). Reads outside transactions keep the default, where a range's values
        // may matter. Measured in docs/performance.md, "Generic plans in write transactions".
        execute_script(
            "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; SELECT pg_advisory_xact_lock(" +
            std::to_string(kWriteLockKey) + ")");
    }
    void commit() override { execute_script("COMMIT"); }
    void rollback() noexcept override {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            healthy_ = false;
            return;
        }
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
        PGresult* r = PQexec(conn_, "ROLLBACK");
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) healthy_ = false;
        PQclear(r);
    }
    bool healthy() const override {
        return healthy_ && conn_ && PQstatus(conn_) == CONNECTION_OK &&
               PQtransactionStatus(conn_) == PQTRANS_IDLE;
    }
    bool still_alive() override {
        // Pooled connections never LISTEN, so an idle one has nothing to read unless the server
        // is saying goodbye (a FATAL "terminating connection" and then end of file; the two can
        // arrive apart). Anything readable means: do not reuse it.
        if (!healthy()) return false;
        pollfd p{PQsocket(conn_), POLLIN, 0};
        if (::poll(&p, 1, 0) != 0) healthy_ = false;
        return healthy_;
    }
    Dialect dialect() const override { return Dialect::postgres; }

  private:
    // Runs the statement (prepared on first use) and returns its checked result.
    ResultPtr execute(std::string_view sql, std::span<const Value> params) {
        std::vector<pg::EncodedParam> encoded;
        encoded.reserve(params.size());
        std::string key(sql);
        key += '\x1f';
        for (const auto& v : params) {
            encoded.push_back(pg::encode_param(v));
            key += encoded.back().type_code;
        }
        const std::string& name = prepare(key, sql, encoded);

        std::vector<const char*> values(encoded.size());
        for (std::size_t i = 0; i < encoded.size(); ++i)
            values[i] = encoded[i].is_null ? nullptr : encoded[i].text.c_str();
        ResultPtr res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, /*resultFormat=*/0));
        check(res.get(), "query failed");
        return res;
    }

    // One row of a result, its cells decoded on demand exactly as query() decodes them; text
    // columns are read in place.
    class RowOfResult final : public RowView {
      public:
        explicit RowOfResult(const PGresult* res)
            : res_(res), types_(static_cast<std::size_t>(PQnfields(res))) {
            for (std::size_t c = 0; c < types_.size(); ++c)
                types_[c] = PQftype(res, static_cast<int>(c));
        }
        const RowOfResult& at(int row) {
            row_ = row;
            return *this;
        }
        std::size_t size() const override { return types_.size(); }
        bool is_null(std::size_t i) const override {
            return PQgetisnull(res_, row_, index(i)) != 0;
        }
        std::int64_t int64(std::size_t i) const override { return value_int64(value(i), i); }
        double real(std::size_t i) const override { return value_real(value(i), i); }
        std::string_view text(std::size_t i) const override {
            if (!is_null(i) && pg::decodes_to_text(types_[i])) return cell(i);
            scratch_ = value_text(value(i), i);
            return scratch_;
        }

      private:
        int index(std::size_t i) const {
            if (i >= types_.size()) throw DbError("no column " + std::to_string(i));
            return static_cast<int>(i);
        }
        std::string_view cell(std::size_t i) const {
            return std::string_view(PQgetvalue(res_, row_, index(i)),
                                    static_cast<std::size_t>(PQgetlength(res_, row_, index(i))));
        }
        Value value(std::size_t i) const {
            if (is_null(i)) return nullptr;
            return pg::decode_text_value(types_[i], cell(i));
        }

        const PGresult* res_;
        std::vector<unsigned> types_;
        int row_ = 0;
        mutable std::string scratch_;  // text of a number, for text()
    };

    const std::string& prepare(const std::string& key, std::string_view sql,
                               const std::vector<pg::EncodedParam>& params) {
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;
        pg::RewrittenSql rewritten = pg::rewrite_placeholders(sql);
        if (rewritten.params != params.size())
            throw DbError("statement expects " + std::to_string(rewritten.params) +
                          " parameters, got " + std::to_string(params.size()));
        std::vector<Oid> types(params.size());
        for (std::size_t i = 0; i < params.size(); ++i) types[i] = params[i].type_oid;
        std::string name = "gp" + std::to_string(statements_.size() + 1);
        ResultPtr res(PQprepare(conn_, name.c_str(), rewritten.sql.c_str(),
                                static_cast<int>(types.size()), types.data()));
        check(res.get(), "prepare failed");
        return statements_.emplace(key, std::move(name)).first->second;
    }

    // Throws the DbError subtype for a failed command; marks the connection broken when the
    // server went away.
    void check(PGresult* res, std::string_view what) {
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
        std::string msg = std::string(what) + ": ";
        const char* detail = res ? PQresultErrorMessage(res) : nullptr;
        msg += detail && *detail ? detail : PQerrorMessage(conn_);
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        const char* state_p = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        std::string_view state = state_p ? state_p : "";
        if (PQstatus(conn_) != CONNECTION_OK || connection_lost_state(state)) {
            healthy_ = false;
            throw DbUnavailable(msg);
        }
        if (state == "23505") throw UniqueViolation(msg);
        if (state == "23503") throw ForeignKeyViolation(msg);
        throw DbError(msg);
    }

    PGconn* conn_ = nullptr;
    bool healthy_ = true;
    std::unordered_map<std::string, std::string> statements_;  // SQL + type codes -> name
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& options) {
    auto db = std::make_unique<Database>(Dialect::postgres, options.pool_size,
                                         [url] { return std::make_unique<PgConnection>(url); });
    db->ping();  // fail at startup, not on the first request, when the server cannot be reached
    return db;
}

}  // namespace glucoplay::storage
