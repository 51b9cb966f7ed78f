#include "storage/sqlite/sqlite_database.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace glucoplay::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// A WAL frame: its 24-byte header and a page of the default 4 096 bytes
// (https://www.sqlite.org/fileformat2.html#walformat).
constexpr std::size_t kWalFrameBytes = 24 + 4096;

[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what) {
    std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        throw UniqueViolation(msg);
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) throw ForeignKeyViolation(msg);
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_CANTOPEN || (rc & 0xFF) == SQLITE_IOERR)
        throw DbUnavailable(msg);
    throw DbError(msg);
}

// The synchronous level: one of a fixed set (validated by config), never user input.
std::string synchronous_level(const DatabaseOptions& options) {
    const std::string& s = options.synchronous;
    return s == "FULL" || s == "NORMAL" || s == "EXTRA" ? s : "FULL";
}

// A connection to `path` (the file created when missing) with the busy timeout, or
// DbUnavailable naming the file.
sqlite3* open_file(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open SQLite database " + path + ": " +
                          (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        throw DbUnavailable(msg);
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    return db;
}

// The pool's write turn: one writer at a time, waiting at most a timeout. A mutex and a condition
// variable rather than std::timed_mutex, whose timed lock (pthread_mutex_clocklock) GCC 12's
// ThreadSanitizer does not intercept: it then reports every unlock as "unlock of an unlocked
// mutex".
//
// acquire_first() is for the checkpointer's WAL restart: it goes before every writer waiting in
// acquire(). Without that a writer committing back to back (the group commit) takes the turn
// again before the waiting thread wakes, and the restart would wait in vain.
class WriteTurn {
  public:
    bool acquire(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!free_.wait_for(lock, timeout, [this] { return !taken_ && first_ == 0; })) return false;
        taken_ = true;
        return true;
    }
    bool acquire_first(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        ++first_;
        const bool got = free_.wait_for(lock, timeout, [this] { return !taken_; });
        --first_;
        if (got) taken_ = true;
        lock.unlock();
        if (!got) free_.notify_all();  // writers held back by first_ may go again
        return got;
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            taken_ = false;
        }
        free_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable free_;
    bool taken_ = false;
    int first_ = 0;  // acquire_first() calls waiting
};

// Copies the WAL back into the database file on a thread and connection of its own, so that no
// commit waits for it. SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL
// past 1000 frames: that writer (the group commit's, holding every queued score) then copies
// the pages and waits for two fdatasyncs, 20-70 ms on this machine (issue 9: 45-63 of them in a
// 10 s run of benchmark D, 430-525 ms in all, each one stalling every write behind it). With
// synchronous=NORMAL those syncs are the only ones WAL mode makes, so commits now never sync.
//
// Every pool connection reports its commits through sqlite3_wal_hook (which also turns off its
// automatic checkpoint); the hook only wakes this thread when `frames` of them are not yet
// copied. The checkpoint is PASSIVE: it copies what no reader still needs and never blocks readers
// or the writer. Other processes on the same file (backups, import-cgm) keep their own automatic
// checkpoint.
//
// A PASSIVE checkpoint alone never lets the WAL start over while writes keep coming: SQLite
// rewinds the WAL only when a writer begins with every frame already copied, and under a steady
// stream of commits there is always a commit after the checkpoint's last frame (issue 9: the WAL
// grew 38 MB a second, to 763 MB in 20 s of benchmark C, every frame extending the file). So
// once the WAL holds `restart_frames` frames, the thread takes the pool's write turn (this
// process's writers then queue on it) and runs a RESTART checkpoint: it copies what was written
// since the PASSIVE one and waits, a short while at most, for readers to leave the WAL, after
// which the next commit writes from the WAL's start. `journal_size_limit` then cuts a WAL grown
// past twice that back down.
class Checkpointer {
  public:
    // Opens (creating it when missing) the file before the pool does, and puts it in WAL mode.
    Checkpointer(const std::string& path, const std::string& synchronous, std::size_t frames,
                 std::size_t restart_frames, std::shared_ptr<WriteTurn> write_turn)
        : frames_(frames), restart_frames_(restart_frames), write_turn_(std::move(write_turn)) {
        if (frames_ == 0) return;  // never (tests)
        db_ = open_file(path);
        // The checkpoint syncs as this connection's synchronous level says (NORMAL and FULL
        // both sync the WAL and the database file in WAL mode).
        const std::string pragmas =
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous + ";";
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, pragmas.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg =
                "cannot open SQLite database " + path + ": " + (err ? err : sqlite3_errstr(rc));
            sqlite3_free(err);
            sqlite3_close(db_);
            throw DbUnavailable(msg);
        }
        thread_ = std::thread([this] { run(); });
    }
    ~Checkpointer() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_one();
        thread_.join();
        sqlite3_close(db_);
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Set on each connection: SQLite then calls committed() after every commit.
    void watch(sqlite3* db) { sqlite3_wal_hook(db, &Checkpointer::hook, this); }

    CheckpointStats stats() const {
        std::lock_guard lock(mutex_);
        return stats_;
    }

  private:
    static int hook(void* self, sqlite3*, const char*, int frames) {
        static_cast<Checkpointer*>(self)->committed(static_cast<std::size_t>(frames));
        return SQLITE_OK;
    }
    // Wakes the thread when the WAL holds `frames_` frames not copied yet. (The WAL starts over
    // only when a writer finds it all copied and no reader in it: until then every commit
    // reports the whole length, copied part included.)
    void committed(std::size_t frames) {
        if (frames_ == 0) return;
        std::size_t copied = copied_.load(std::memory_order_relaxed);
        if (frames < copied) copied = 0;  // started over since the last checkpoint
        if (frames - copied < frames_) return;
        {
            std::lock_guard lock(mutex_);
            if (due_) return;
            due_ = true;
        }
        wake_.notify_one();
    }

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return due_ || stop_; });
            if (stop_) return;
            due_ = false;
            lock.unlock();
            int log = 0, copied = 0;
            const auto start = std::chrono::steady_clock::now();
            const int rc =
                sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            if (rc != SQLITE_OK && (rc & 0xFF) != SQLITE_BUSY)
                spdlog::warn("SQLite checkpoint failed: {}", sqlite3_errmsg(db_));
            const bool restart_due = rc == SQLITE_OK && restart_frames_ > 0 &&
                                     static_cast<std::size_t>(std::max(log, 0)) >= restart_frames_;
            Restart restart = restart_due ? restart_wal() : Restart{};
            lock.lock();
            if (rc == SQLITE_OK) {
                ++stats_.checkpoints;
                if (restart.ran) {
                    log = restart.log;
                    copied = restart.copied;
                }
                stats_.wal_frames = static_cast<std::uint64_t>(std::max(log, 0));
                stats_.frames_left = static_cast<std::uint64_t>(std::max(log - copied, 0));
                copied_.store(static_cast<std::size_t>(std::max(copied, 0)),
                              std::memory_order_relaxed);
            } else if ((rc & 0xFF) != SQLITE_BUSY) {
                ++stats_.failures;
            }
            if (restart.ran) ++stats_.restarts;
            if (restart_due && !restart.ran) ++stats_.restarts_deferred;
            if (restart.failed) ++stats_.failures;
            stats_.seconds += took.count() + restart.seconds;
            stats_.write_wait_seconds += restart.seconds;
        }
    }

    struct Restart {
        bool ran = false;     // every frame copied and no reader left in the WAL
        bool failed = false;  // an error other than busy (logged)
        int log = 0, copied = 0;
        double seconds = 0;  // with this process's writers held back
    };

    // The RESTART checkpoint, under the pool's write turn so that this process's writers wait
    // for it in the turn's queue rather than in SQLite's busy handler (which sleeps in steps of
    // up to 100 ms). Readers still in the WAL get kRestartWaitMs to finish; a reader that stays
    // longer (a backup), or a writer of another process holding the file, and the restart is put
    // off for kRestartBackoff: at most one such wait of the writers a second.
    Restart restart_wal() {
        Restart out;
        const auto start = std::chrono::steady_clock::now();
        if (start < restart_not_before_) return out;
        // From here this process's writers wait: acquire_first() holds new ones back at once.
        const bool turn = write_turn_->acquire_first(std::chrono::milliseconds(kRestartWaitMs));
        const auto since_start = [&start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
        if (!turn) {
            out.seconds = since_start();
            restart_not_before_ = start + kRestartBackoff;
            return out;
        }
        sqlite3_busy_timeout(db_, kRestartWaitMs);
        const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, &out.log,
                                                 &out.copied);
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        write_turn_->release();
        out.seconds = since_start();
        if (rc == SQLITE_OK) {
            out.ran = true;
            return out;
        }
        restart_not_before_ = std::chrono::steady_clock::now() + kRestartBackoff;
        if ((rc & 0xFF) != SQLITE_BUSY) {
            out.failed = true;
            spdlog::warn("SQLite WAL restart failed: {}", sqlite3_errmsg(db_));
        }
        return out;
    }

    static constexpr int kRestartWaitMs = 50;
    static constexpr std::chrono::seconds kRestartBackoff{1};
    std::chrono::steady_clock::time_point restart_not_before_;  // only the thread's

    const std::size_t frames_;
    const std::size_t restart_frames_;
    std::shared_ptr<WriteTurn> write_turn_;
    sqlite3* db_ = nullptr;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;                    // guarded by mutex_
    bool stop_ = false;                   // guarded by mutex_
    CheckpointStats stats_;               // guarded by mutex_
    std::atomic<std::size_t> copied_{0};  // frames of the WAL the last checkpoint had copied
};

class SqliteConnection final : public Connection {
  public:
    using Connection::for_each_row;
    using Connection::query;

    // `write_lock` is shared by every connection of the pool: writers queue on it in this
    // process instead of in SQLite's busy handler, which sleeps (up to 100 ms a time) and, with
    // many concurrent writers, runs into busy_timeout ("database is locked"). Other processes
    // writing the same file (import-cgm, backups) still meet busy_timeout.
    SqliteConnection(const std::string& path, const DatabaseOptions& options,
                     std::shared_ptr<WriteTurn> write_lock,
                     std::shared_ptr<Checkpointer> checkpointer)
        : write_lock_(std::move(write_lock)), checkpointer_(std::move(checkpointer)) {
        db_ = open_file(path);
        sqlite3_extended_result_codes(db_, 1);
        execute_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" +
                       synchronous_level(options) + ";");
        // A 16 MiB page cache per connection instead of SQLite's 2 MiB: a score's transaction
        // touches index pages all over a table of a million rows, and each page not in the
        // cache is a pread (issue 9: C +6-10 % in alternating runs, p99 unchanged).
        execute_script("PRAGMA cache_size=-16384;");
        if (options.checkpoint_frames > 0 && options.wal_restart_frames > 0)
            execute_script("PRAGMA journal_size_limit=" +
                           std::to_string(2 * options.wal_restart_frames * kWalFrameBytes) + ";");
        checkpointer_->watch(db_);
    }

    ~SqliteConnection() override {
        end_write();
        for (auto& [_, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }

    Result query(std::string_view sql, std::span<const Value> params) override {
        Statement st(*this, sql, params);
        Result result;
        const int columns = sqlite3_column_count(st.stmt);
        while (st.step()) {
            std::vector<Value> values;
            values.reserve(columns);
            for (int c = 0; c < columns; ++c) values.push_back(column(st.stmt, c));
            result.rows.emplace_back(std::move(values));
        }
        result.affected = sqlite3_changes64(db_);
        return result;
    }

    std::optional<std::int64_t> insert_id(std::string_view insert_sql,
                                          std::span<const Value> params) override {
        Statement st(*this, insert_sql, params);
        if (sqlite3_column_count(st.stmt) != 0)
            throw DbError("insert_id takes an INSERT without RETURNING");
        st.step();
        // Rows inserted by triggers count neither here nor in the last rowid.
        if (sqlite3_changes64(db_) == 0) return std::nullopt;
        return sqlite3_last_insert_rowid(db_);
    }

    std::size_t for_each_row(std::string_view sql, std::span<const Value> params,
                             const RowCallback& on_row) override {
        Statement st(*this, sql, params);
        const RowOfStatement row(st.stmt);
        std::size_t rows = 0;
        for (; st.step(); ++rows) on_row(row);
        return rows;
    }

    void execute_script(std::string_view sql) override {
        char* err = nullptr;
        std::string text(sql);
        int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            throw DbError("script failed: " + msg);
        }
    }

    void begin() override {
        // As long as SQLite's own busy_timeout: a writer that waits longer fails the same way.
        if (!write_lock_->acquire(std::chrono::milliseconds(kBusyTimeoutMs)))
            throw DbUnavailable("timed out waiting for the database write lock");
        try {
            query("BEGIN IMMEDIATE");
        } catch (...) {
            write_lock_->release();
            throw;
        }
        writing_ = true;  // held until commit or rollback
    }
    void commit() override {
        query("COMMIT");
        end_write();
    }
    void rollback() noexcept override {
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        end_write();
    }
    Dialect dialect() const override { return Dialect::sqlite; }

  private:
    // A cached statement, bound to `params`, stepped row by row, and always left reset and
    // unbound afterwards, whatever happens in between.
    struct Statement {
        Statement(SqliteConnection& c, std::string_view sql, std::span<const Value> params)
            : conn(c), stmt(c.prepare(sql)) {
            try {
                if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
                    throw DbError("statement expects " +
                                  std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                  " parameters, got " + std::to_string(params.size()));
                for (std::size_t i = 0; i < params.size(); ++i)
                    c.bind(stmt, static_cast<int>(i + 1), params[i]);
            } catch (...) {
                clear();
                throw;
            }
        }
        ~Statement() { clear(); }
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;
        // True with a row to read, false when done; throws on an error.
        bool step() {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_ROW) return true;
            if (rc != SQLITE_DONE) throw_sqlite(conn.db_, rc, "query failed");
            return false;
        }
        void clear() {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        }
        SqliteConnection& conn;
        sqlite3_stmt* stmt;
    };

    // The current row of a statement. Each cell is the statement's own sqlite3_value
    // (sqlite3_column_value), read with sqlite3_value_*: the same conversions as
    // sqlite3_column_* without their per-call connection mutex and error bookkeeping, four
    // calls a reading fewer for the trends. Such an "unprotected" value may only be read by the
    // thread using the connection, which is always the case here (SQLITE_OPEN_NOMUTEX, one
    // thread per connection at a time). Integers, reals and text are read in place; anything
    // else through the same Value conversion query() makes.
    class RowOfStatement final : public RowView {
      public:
        explicit RowOfStatement(sqlite3_stmt* stmt)
            : stmt_(stmt), columns_(static_cast<std::size_t>(sqlite3_column_count(stmt))) {}
        std::size_t size() const override { return columns_; }
        bool is_null(std::size_t i) const override {
            return sqlite3_value_type(cell(i)) == SQLITE_NULL;
        }
        std::int64_t int64(std::size_t i) const override {
            sqlite3_value* v = cell(i);
            if (sqlite3_value_type(v) == SQLITE_INTEGER) return sqlite3_value_int64(v);
            return value_int64(column(stmt_, static_cast<int>(i)), i);
        }
        double real(std::size_t i) const override {
            sqlite3_value* v = cell(i);
            if (sqlite3_value_type(v) == SQLITE_FLOAT) return sqlite3_value_double(v);
            return value_real(column(stmt_, static_cast<int>(i)), i);
        }
        std::string_view text(std::size_t i) const override {
            sqlite3_value* v = cell(i);
            if (sqlite3_value_type(v) == SQLITE_TEXT) {
                auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
                return std::string_view(p ? p : "",
                                        static_cast<std::size_t>(sqlite3_value_bytes(v)));
            }
            scratch_ = value_text(column(stmt_, static_cast<int>(i)), i);
            return scratch_;
        }

      private:
        sqlite3_value* cell(std::size_t i) const {
            if (i >= columns_) throw DbError("no column " + std::to_string(i));
            return sqlite3_column_value(stmt_, static_cast<int>(i));
        }

        sqlite3_stmt* stmt_;
        std::size_t columns_;
        mutable std::string scratch_;  // text of a number or blob, for text()
    };

    sqlite3_stmt* prepare(std::string_view sql) {
        // Looked up by the view: no copy of the SQL text for a statement already prepared.
        if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
        std::string key(sql);
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) throw_sqlite(db_, rc, "prepare failed");
        if (!stmt) throw DbError("empty SQL statement");
        statements_.emplace(std::move(key), stmt);
        return stmt;
    }

    void bind(sqlite3_stmt* stmt, int index, const Value& v) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(v))
            rc = sqlite3_bind_null(stmt, index);
        else if (auto i = std::get_if<std::int64_t>(&v))
            rc = sqlite3_bind_int64(stmt, index, *i);
        else if (auto d = std::get_if<double>(&v))
            rc = sqlite3_bind_double(stmt, index, *d);
        else {
            const auto& s = std::get<std::string>(v);
            // Not copied: the parameters outlive the Statement, which clears its bindings.
            rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
        }
        if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind failed");
    }

    static Value column(sqlite3_stmt* stmt, int c) {
        switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER:
                return static_cast<std::int64_t>(sqlite3_column_int64(stmt, c));
            case SQLITE_FLOAT:
                return sqlite3_column_double(stmt, c);
            case SQLITE_NULL:
                return nullptr;
            default: {
                auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                return std::string(p ? p : "",
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
            }
        }
    }

    sqlite3* db_ = nullptr;
    // Hashed and compared as string_view, so find() takes a view (heterogeneous lookup).
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
    void end_write() noexcept {
        if (writing_) {
            writing_ = false;
            write_lock_->release();
        }
    }

    std::shared_ptr<WriteTurn> write_lock_;
    std::shared_ptr<Checkpointer> checkpointer_;  // outlives the hook set on db_
    bool writing_ = false;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options) {
    std::filesystem::path p(path);
    if (p.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
        if (ec)
            throw DbUnavailable("cannot create directory " + p.parent_path().string() + ": " +
                                ec.message());
    }
    auto write_lock = std::make_shared<WriteTurn>();
    auto checkpointer =
        std::make_shared<Checkpointer>(path, synchronous_level(options), options.checkpoint_frames,
                                       options.wal_restart_frames, write_lock);
    auto db = std::make_unique<Database>(
        Dialect::sqlite, options.pool_size, [path, options, write_lock, checkpointer] {
            return std::make_unique<SqliteConnection>(path, options, write_lock, checkpointer);
        });
    db->set_checkpoint_stats([checkpointer] { return checkpointer->stats(); });
    db->ping();  // fail at startup, not on the first request, when the file cannot be opened
    return db;
}

}  // namespace glucoplay::storage
