#include "storage/database.hpp"

#include <algorithm>

#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace glucoplay::storage {

std::string_view to_string(Dialect d) {
    return d == Dialect::sqlite ? "sqlite" : "postgres";
}

bool Row::is_null(std::size_t i) const {
    return std::holds_alternative<std::nullptr_t>(value(i));
}

std::int64_t value_int64(const Value& v, std::size_t column) {
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
    throw DbError("column " + std::to_string(column) + " is NULL, expected an integer");
}

double value_real(const Value& v, std::size_t column) {
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
    throw DbError("column " + std::to_string(column) + " is NULL, expected a number");
}

std::string value_text(const Value& v, std::size_t column) {
    if (auto p = std::get_if<std::string>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
    throw DbError("column " + std::to_string(column) + " is NULL, expected text");
}

std::int64_t Row::int64(std::size_t i) const {
    return value_int64(value(i), i);
}
double Row::real(std::size_t i) const {
    return value_real(value(i), i);
}
std::string Row::text(std::size_t i) const {
    return value_text(value(i), i);
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return int64(i);
}
std::optional<double> Row::opt_real(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return real(i);
}
std::optional<std::string> Row::opt_text(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return text(i);
}

std::optional<std::int64_t> RowView::opt_int64(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return int64(i);
}
std::optional<double> RowView::opt_real(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return real(i);
}
std::optional<std::string_view> RowView::opt_text(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return text(i);
}

namespace {

// A materialised Row seen through the RowView interface (the default for_each_row).
class RowAsView final : public RowView {
  public:
    explicit RowAsView(const Row& row) : row_(row) {}
    std::size_t size() const override { return row_.size(); }
    bool is_null(std::size_t i) const override { return row_.is_null(i); }
    std::int64_t int64(std::size_t i) const override { return row_.int64(i); }
    double real(std::size_t i) const override { return row_.real(i); }
    std::string_view text(std::size_t i) const override {
        if (auto p = std::get_if<std::string>(&row_.value(i))) return *p;
        scratch_ = row_.text(i);
        return scratch_;
    }

  private:
    const Row& row_;
    mutable std::string scratch_;
};

}  // namespace

std::optional<std::int64_t> Connection::insert_id(std::string_view insert_sql,
                                                  std::span<const Value> params) {
    std::string sql(insert_sql);
    sql += " RETURNING id";
    auto r = query(sql, params);
    if (r.rows.empty()) return std::nullopt;
    return r.rows.front().int64(0);
}

std::int64_t Connection::insert_row(std::string_view insert_sql, std::span<const Value> params) {
    auto id = insert_id(insert_sql, params);
    if (!id) throw DbError("the INSERT inserted no row");
    return *id;
}

std::size_t Connection::for_each_row(std::string_view sql, std::span<const Value> params,
                                     const RowCallback& on_row) {
    Result result = query(sql, params);
    for (const Row& row : result.rows) on_row(RowAsView(row));
    return result.rows.size();
}

Database::Database(Dialect dialect, std::size_t max_connections, Factory factory,
                   std::chrono::milliseconds acquire_timeout)
    : dialect_(dialect),
      max_(max_connections == 0 ? 1 : max_connections),
      factory_(std::move(factory)),
      acquire_timeout_(acquire_timeout) {}

Database::Lease::~Lease() {
    if (db_ && conn_) db_->release(std::move(conn_));
}

Database::Lease Database::acquire() {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && open_ >= max_) {
        ++waits_;
        if (!available_.wait_for(lock, acquire_timeout_,
                                 [&] { return !idle_.empty() || open_ < max_; }))
            throw DbUnavailable("timed out waiting for a database connection");
    }
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (c->still_alive()) return Lease(this, std::move(c));
        --open_;  // closed by the server while idle: drop it, try the next or open one
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
    try {
        return Lease(this, factory_());
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
}

void Database::release(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    if (c->healthy())
        idle_.push_back(std::move(c));
    else
        --open_;  // drop a broken connection; the next acquire opens a fresh one
    available_.notify_one();
}

PoolStats Database::stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{open_, idle_.size(), max_, waits_};
}

void Database::ping() {
    with_connection([](Connection& c) { c.query("SELECT 1"); });
}

std::string repeated_placeholders(std::string_view item, std::size_t n) {
    std::string out;
    out.reserve(n * (item.size() + 2));
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += ", ";
        out += item;
    }
    return out;
}

std::vector<std::int64_t> ids_in_values_order(const Result& inserted, std::size_t expected) {
    if (inserted.rows.size() != expected)
        throw DbError("inserted " + std::to_string(inserted.rows.size()) + " rows of " +
                      std::to_string(expected));
    std::vector<std::int64_t> ids;
    ids.reserve(expected);
    for (const auto& row : inserted.rows) ids.push_back(row.int64(0));
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool is_postgres_url(std::string_view url) {
    return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

std::string redact_url(std::string_view url) {
    std::string out(url);
    if (!is_postgres_url(url)) return out;
    // scheme://user:password@host... -> scheme://user:***@host...
    std::size_t scheme_end = out.find("://") + 3;
    std::size_t at = out.find('@', scheme_end);
    std::size_t slash = out.find('/', scheme_end);
    std::size_t colon = out.find(':', scheme_end);
    if (at != std::string::npos && (slash == std::string::npos || at < slash) &&
        colon != std::string::npos && colon < at)
        out.replace(colon + 1, at - colon - 1, "***");
    // ...?password=secret&... -> ...?password=***&...
    std::size_t q = out.find('?');
    for (std::size_t p = q; p != std::string::npos && (p = out.find("password=", p)) != out.npos;) {
        if (out[p - 1] != '?' && out[p - 1] != '&') {
            p += 9;
            continue;
        }
        std::size_t end = out.find('&', p);
        out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
        p += 12;
    }
    return out;
}

std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options) {
    if (is_postgres_url(url)) return open_postgres(url, options);
    std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
    return open_sqlite(path, options);
}

}  // namespace glucoplay::storage
