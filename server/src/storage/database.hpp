#pragma once

// The storage interface every feature repository uses. Dialect-neutral: SQL uses `?` placeholders
// (the PostgreSQL implementation rewrites them to $1..$n) and standard SQL with RETURNING.
// Connections come from a bounded pool; every statement is prepared and cached per connection.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace glucoplay::storage {

enum class Dialect { sqlite, postgres };
std::string_view to_string(Dialect d);

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

class Row {
  public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    std::size_t size() const { return values_.size(); }
    bool is_null(std::size_t i) const;
    std::int64_t int64(std::size_t i) const;
    double real(std::size_t i) const;
    std::string text(std::size_t i) const;
    std::optional<std::int64_t> opt_int64(std::size_t i) const;
    std::optional<double> opt_real(std::size_t i) const;
    std::optional<std::string> opt_text(std::size_t i) const;
    const Value& value(std::size_t i) const { return values_.at(i); }

  private:
    std::vector<Value> values_;
};

struct Result {
    std::vector<Row> rows;
    std::int64_t affected = 0;
    bool empty() const { return rows.empty(); }
};

// Row's conversions of one column's value (`column` names it in the error for a NULL), shared by
// the RowView implementations so both read a value the same way.
std::int64_t value_int64(const Value& v, std::size_t column);
double value_real(const Value& v, std::size_t column);
std::string value_text(const Value& v, std::size_t column);

// One row of a result streamed by Connection::for_each_row, read in place from the driver's
// buffers instead of being copied into a Row: valid only during the callback, and text views
// only until it returns. Same conversions (and errors for NULL) as Row.
class RowView {
  public:
    virtual std::size_t size() const = 0;
    virtual bool is_null(std::size_t i) const = 0;
    virtual std::int64_t int64(std::size_t i) const = 0;
    virtual double real(std::size_t i) const = 0;
    virtual std::string_view text(std::size_t i) const = 0;
    std::optional<std::int64_t> opt_int64(std::size_t i) const;
    std::optional<double> opt_real(std::size_t i) const;
    std::optional<std::string_view> opt_text(std::size_t i) const;

  protected:
    ~RowView() = default;
};
using RowCallback = std::function<void(const RowView&)>;

// Any failure from the database. Services map the specific kinds below to HTTP errors; anything
// else reaches the central mapper as a 500 without details.
class DbError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
class UniqueViolation : public DbError {
  public:
    using DbError::DbError;
};
class ForeignKeyViolation : public DbError {
  public:
    using DbError::DbError;
};
class DbUnavailable : public DbError {
  public:
    using DbError::DbError;
};

class Connection {
  public:
    virtual ~Connection() = default;
    virtual Result query(std::string_view sql, std::span<const Value> params) = 0;
    Result query(std::string_view sql, std::initializer_list<Value> params = {}) {
        return query(sql, std::span<const Value>(params.begin(), params.size()));
    }
    // Runs a query and calls `on_row` with each row in order, reading the columns where the
    // driver holds them: for long results (a user's 90 days of readings) without a Row, a vector
    // and a Value per row. Returns the number of rows. The default goes through query().
    virtual std::size_t for_each_row(std::string_view sql, std::span<const Value> params,
                                     const RowCallback& on_row);
    std::size_t for_each_row(std::string_view sql, std::initializer_list<Value> params,
                             const RowCallback& on_row) {
        return for_each_row(sql, std::span<const Value>(params.begin(), params.size()), on_row);
    }
    // Runs an INSERT of one row into a table keyed by an `id` column ({{id_pk}}), written
    // without a RETURNING clause, and returns the new row's id, or nothing when no row was
    // inserted (`ON CONFLICT ... DO NOTHING`; not for `DO UPDATE`, whose update would look like
    // an insert). The default appends `RETURNING id` (PostgreSQL); SQLite reads the connection's
    // last rowid instead, since its RETURNING costs about a third of a small insert (callgrind
    // of a score's insert into the million-row `scores`: 60 900 -> 39 600 instructions).
    virtual std::optional<std::int64_t> insert_id(std::string_view insert_sql,
                                                  std::span<const Value> params);
    std::optional<std::int64_t> insert_id(std::string_view insert_sql,
                                          std::initializer_list<Value> params) {
        return insert_id(insert_sql, std::span<const Value>(params.begin(), params.size()));
    }
    // insert_id for an INSERT that always inserts its row (no ON CONFLICT): the new row's id.
    std::int64_t insert_row(std::string_view insert_sql, std::span<const Value> params);
    std::int64_t insert_row(std::string_view insert_sql, std::initializer_list<Value> params) {
        return insert_row(insert_sql, std::span<const Value>(params.begin(), params.size()));
    }
    // Runs several statements without parameters (migrations).
    virtual void execute_script(std::string_view sql) = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // False once the connection is known to be broken; the pool then discards it.
    virtual bool healthy() const { return true; }
    // Called (without blocking) when an idle connection is handed out again: false when the
    // server closed it meanwhile (e.g. a PostgreSQL restart), so the pool opens a fresh one
    // instead of failing the request.
    virtual bool still_alive() { return healthy(); }
    virtual Dialect dialect() const = 0;
};

struct PoolStats {
    std::size_t size = 0;     // connections open
    std::size_t idle = 0;     // connections waiting in the pool
    std::size_t max = 0;      // the bound
    std::uint64_t waits = 0;  // acquisitions that had to wait
};

// SQLite's background checkpoints (see open_sqlite); all zero on PostgreSQL.
struct CheckpointStats {
    std::uint64_t checkpoints = 0;  // passive checkpoints run
    std::uint64_t wal_frames = 0;   // frames in the WAL at the last one
    std::uint64_t frames_left = 0;  // of those, the ones it could not copy (a reader needed them)
    std::uint64_t failures = 0;     // checkpoints that returned an error (logged)
    double seconds = 0;             // time spent in them (copying and syncing)
    std::uint64_t restarts = 0;     // RESTART checkpoints that let the WAL start over
    std::uint64_t restarts_deferred = 0;  // due but put off (readers stayed, or another writer)
    double write_wait_seconds = 0;        // time the restarts held this process's writers back
};

// A bounded pool of connections. acquire() blocks (up to the timeout) when all are in use.
class Database {
  public:
    using Factory = std::function<std::unique_ptr<Connection>()>;

    class Lease {
      public:
        Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), conn_(std::move(c)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) noexcept = default;
        ~Lease();
        Connection& operator*() const { return *conn_; }
        Connection* operator->() const { return conn_.get(); }

      private:
        Database* db_;
        std::unique_ptr<Connection> conn_;
    };

    Database(Dialect dialect, std::size_t max_connections, Factory factory,
             std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10));
    virtual ~Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Lease acquire();
    Dialect dialect() const { return dialect_; }
    PoolStats stats() const;
    CheckpointStats checkpoint_stats() const {
        return checkpoint_stats_ ? checkpoint_stats_() : CheckpointStats{};
    }
    // For the backend that checkpoints on a thread of its own (SQLite).
    void set_checkpoint_stats(std::function<CheckpointStats()> f) {
        checkpoint_stats_ = std::move(f);
    }

    // Runs f(Connection&) inside a transaction: committed when f returns, rolled back when it
    // throws (the exception propagates). Nothing is half-written.
    template <class F>
    auto transaction(F&& f) -> decltype(f(std::declval<Connection&>())) {
        Lease c = acquire();
        c->begin();
        try {
            if constexpr (std::is_void_v<decltype(f(*c))>) {
                f(*c);
                c->commit();
            } else {
                auto result = f(*c);
                c->commit();
                return result;
            }
        } catch (...) {
            c->rollback();
            throw;
        }
    }

    // Runs f(Connection&) outside an explicit transaction (single statements, reads).
    template <class F>
    auto with_connection(F&& f) -> decltype(f(std::declval<Connection&>())) {
        Lease c = acquire();
        return f(*c);
    }

    // Cheap liveness check for /api/health. Throws DbError when the database is unreachable.
    void ping();

  private:
    void release(std::unique_ptr<Connection> c);

    Dialect dialect_;
    std::size_t max_;
    Factory factory_;
    std::chrono::milliseconds acquire_timeout_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;
    std::uint64_t waits_ = 0;
    std::function<CheckpointStats()> checkpoint_stats_;
};

struct DatabaseOptions {
    std::size_t pool_size = 8;
    std::string synchronous = "FULL";  // SQLite PRAGMA synchronous (FULL: durable on power loss)
    // SQLite: WAL frames after a commit at which the background thread checkpoints (SQLite's
    // own automatic checkpoint is 1000, run by the committing connection). 0: no checkpoint while
    // open (the WAL grows until the last connection closes), for tests.
    std::size_t checkpoint_frames = 1000;
    // SQLite: WAL frames at which the background thread, after its checkpoint, holds the pool's
    // writers back for a RESTART checkpoint so that the WAL starts over (under steady writes it
    // otherwise never does, and grows without bound). 0: never.
    std::size_t wal_restart_frames = 16000;
};

// Opens "sqlite:PATH", a plain file path, or "postgres://..." / "postgresql://..." (a libpq
// connection URI). Throws DbError (DbUnavailable when it cannot be reached or opened).
std::unique_ptr<Database> open_database(const std::string& url,
                                        const DatabaseOptions& options = {});

// `item` n times, separated by commas: the placeholders of an IN list ("?") or the rows of a
// multi-row VALUES ("(?, ?)"). A statement of each length is prepared once per connection.
std::string repeated_placeholders(std::string_view item, std::size_t n);
// The ids a multi-row `INSERT ... RETURNING id` returned, in the order of its VALUES rows: each
// row takes the next id (a sequence on PostgreSQL, the next rowid on SQLite) in that order, while
// the order of RETURNING's rows is not promised. Throws DbError unless there are `expected`.
std::vector<std::int64_t> ids_in_values_order(const Result& inserted, std::size_t expected);

bool is_postgres_url(std::string_view url);
// The URL with any password replaced by "***", for logs and error messages.
std::string redact_url(std::string_view url);

}  // namespace glucoplay::storage
