#pragma once
// Where glucoplay-bench-seed writes: a SQLite file or a PostgreSQL database that `glucoplay
// init-db` has just created. The data set itself is generated once, in seed.cpp, and written
// through this interface, so both databases get the same rows (same ids, values and order).
//
// - SQLite: one prepared INSERT per table, bound field by field (raw C API: this tool inserts
//   millions of rows, and the server's pool and Row types would only slow it down).
// - PostgreSQL: COPY ... FROM STDIN in text format per table (libpq), which loads a few
//   hundred thousand rows a second where single INSERTs over the socket manage a few thousand.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

// One table's rows, written field by field in the order of the columns given to Store::rows.
class RowWriter {
  public:
    virtual ~RowWriter() = default;
    virtual RowWriter& i(std::int64_t v) = 0;
    virtual RowWriter& d(double v) = 0;
    virtual RowWriter& t(std::string_view v) = 0;
    virtual RowWriter& null() = 0;
    // Ends the row (throws if it has the wrong number of fields or the database refuses it).
    virtual void end_row() = 0;
    // Flushes what is buffered; call before the transaction commits.
    virtual void finish() = 0;
};

// A catalog row as init-db stored it (foods are read back, not generated).
struct FoodRow {
    std::int64_t id;
    std::string name;
    std::optional<std::int64_t> gi;
    double carbs, fiber, serving;
};

class Store {
  public:
    virtual ~Store() = default;
    virtual std::unique_ptr<RowWriter> rows(const std::string& table,
                                            const std::vector<std::string>& columns) = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    // Drops the secondary indexes of `tables` (not those of primary keys or UNIQUE constraints)
    // for a bulk load; restore_indexes() recreates them from the definitions the migrations
    // wrote, read back from the catalog. Building an index once is much faster than keeping it up
    // to date row by row.
    virtual void drop_indexes(const std::vector<std::string>& tables) = 0;
    virtual void restore_indexes() = 0;
    virtual std::vector<FoodRow> foods() = 0;
    // COALESCE(MAX(id), 0) + 1 of `table`.
    virtual std::int64_t next_id(const std::string& table) = 0;
    // After the rows of a load: what the database needs so the server finds it as if it had
    // written the rows itself (identity sequences past the largest id) and plans well (fresh
    // statistics). Outside any transaction.
    virtual void after_load(const std::vector<std::string>& tables) = 0;
    virtual std::string after_load_what() const = 0;  // for the log line
    // Identity sequences of `tables` continue after the largest id (PostgreSQL; SQLite's
    // INTEGER PRIMARY KEY does by itself), as after `glucoplay migrate-data`.
    virtual void reset_sequences(const std::vector<std::string>& tables) = 0;
    // For the `sessions` command, inside begin()/commit(): wait for the server's writers (SQLite:
    // BEGIN IMMEDIATE already did; PostgreSQL: the advisory lock of the server's begin()).
    virtual void lock_like_the_server() = 0;
    virtual std::string describe() const = 0;
};

// "postgres://..." or "postgresql://..." opens PostgreSQL; "sqlite:PATH" or a bare PATH opens
// SQLite. `load` sets up the session for a bulk load (SQLite synchronous=OFF and a large cache;
// PostgreSQL without per-row foreign-key triggers, as the SQLite connection does not enforce
// foreign keys either: the rows are consistent by construction).
std::unique_ptr<Store> open_store(const std::string& database, bool load);

}  // namespace bench
