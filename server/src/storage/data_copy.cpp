#include "storage/data_copy.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "storage/migrations.hpp"

namespace glucoplay::storage {

namespace {

// Names come from the databases' own catalogs, never from input; quoting keeps any spelling.
std::string quote(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

// Tables filled by migrations and seeding, which a fresh target already has rows in.
bool seeded_table(const std::string& t) {
    return t == "schema_migrations" || t == "app_meta" || t == "foods" || t == "session_changes";
}

std::vector<std::string> sqlite_columns(Connection& c, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& r :
         c.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table}).rows)
        out.push_back(r.text(0));
    return out;
}

// Parents before children, from SQLite's foreign-key lists (ties by name, so the order is stable).
std::vector<std::string> dependency_order(Connection& c, const std::vector<std::string>& tables) {
    std::map<std::string, std::set<std::string>> parents;
    for (const auto& t : tables)
        for (const auto& r : c.query("SELECT \"table\" FROM pragma_foreign_key_list(?)", {t}).rows)
            if (r.text(0) != t) parents[t].insert(r.text(0));
    std::vector<std::string> order;
    std::set<std::string> done, visiting;
    std::function<void(const std::string&)> visit = [&](const std::string& t) {
        if (done.count(t)) return;
        if (!visiting.insert(t).second) throw DbError("foreign-key cycle through table " + t);
        for (const auto& p : parents[t])
            if (std::find(tables.begin(), tables.end(), p) != tables.end()) visit(p);
        visiting.erase(t);
        done.insert(t);
        order.push_back(t);
    };
    for (const auto& t : tables) visit(t);
    return order;
}

// The columns a table's rows are read in batches by: its rowid, or for a WITHOUT ROWID table
// (cgm_readings) its primary key.
std::vector<std::string> sqlite_batch_key(Connection& c, const std::string& table) {
    auto wr = c.query("SELECT wr FROM pragma_table_list(?)", {table});
    if (wr.rows.empty() || wr.rows[0].int64(0) == 0) return {"rowid"};
    std::vector<std::string> out;
    for (const auto& r :
         c.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", {table}).rows)
        out.push_back(r.text(0));
    return out;
}

std::int64_t count_rows(Connection& c, const std::string& table) {
    return c.query("SELECT COUNT(*) FROM " + quote(table)).rows.at(0).int64(0);
}

int schema_version(Connection& c) {
    return static_cast<int>(
        c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows.at(0).int64(0));
}

}  // namespace

std::vector<std::string> list_tables(Connection& c) {
    std::vector<std::string> out;
    auto rows = c.dialect() == Dialect::sqlite
                    ? c.query(
                          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                          "'sqlite\\_%' ESCAPE '\\' ORDER BY name")
                    : c.query(
                          "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
    for (const auto& r : rows.rows) out.push_back(r.text(0));
    return out;
}

CopyReport copy_database(Database& from, Database& to, bool force,
                         const std::function<void(const std::string&, std::int64_t)>& progress) {
    if (from.dialect() != Dialect::sqlite || to.dialect() != Dialect::postgres)
        throw DbError("migrate-data copies from a SQLite database to a PostgreSQL one");
    const int target_version = migrate(to, builtin_migrations()).current;

    // One lease and one read transaction on the source: a consistent snapshot (WAL readers do
    // not block a running server's writers, nor see its later writes).
    auto src = from.acquire();
    src->execute_script("BEGIN");
    struct EndRead {
        Connection& c;
        ~EndRead() { c.rollback(); }
    } end_read{*src};

    const int source_version = schema_version(*src);
    if (source_version != target_version)
        throw DbError("the source database is at schema version " + std::to_string(source_version) +
                      " and this build at " + std::to_string(target_version) +
                      "; run `glucoplay init-db --database sqlite:...` on the source first");

    std::vector<std::string> tables;
    for (auto& t : list_tables(*src))
        if (t != "schema_migrations") tables.push_back(t);
    const auto order = dependency_order(*src, tables);

    to.with_connection([&](Connection& dst) {
        auto target_tables = list_tables(dst);
        for (const auto& t : order)
            if (std::find(target_tables.begin(), target_tables.end(), t) == target_tables.end())
                throw DbError("the target has no table " + t);
        if (!force)
            for (const auto& t : order)
                if (!seeded_table(t) && count_rows(dst, t) > 0)
                    throw DbError("the target already holds data (table " + t +
                                  "); use --force to replace it");
    });
    // Children first, so foreign keys hold at every step.
    to.transaction([&](Connection& dst) {
        for (auto it = order.rbegin(); it != order.rend(); ++it)
            dst.query("DELETE FROM " + quote(*it));
    });

    constexpr std::int64_t kBatch = 1000;    // rows per transaction
    constexpr std::size_t kPerInsert = 100;  // rows per INSERT statement
    CopyReport report;
    for (const auto& table : order) {
        const auto columns = sqlite_columns(*src, table);
        std::string column_list;
        for (const auto& col : columns)
            column_list += (column_list.empty() ? "" : ", ") + quote(col);
        // Batches follow the key: each starts after the last key of the one before.
        const auto key = sqlite_batch_key(*src, table);
        std::string key_list, key_params;
        for (const auto& k : key) {
            key_list += (key_list.empty() ? "" : ", ") + (k == "rowid" ? k : quote(k));
            key_params += key_params.empty() ? "?" : ", ?";
        }
        const std::string select_from =
                              "SELECT " + key_list + ", " + column_list + " FROM " + quote(table),
                          order = " ORDER BY " + key_list + " LIMIT ?";
        const std::string first_select = select_from + order,
                          next_select = select_from + " WHERE (" + key_list + ") > (" + key_params +
                                        ")" + order;
        std::string one_row = "(";
        for (std::size_t i = 0; i < columns.size(); ++i) one_row += i ? ", ?" : "?";
        one_row += ")";
        auto insert_sql = [&](std::size_t rows) {
            std::string sql = "INSERT INTO " + quote(table) + " (" + column_list + ") VALUES ";
            for (std::size_t r = 0; r < rows; ++r) sql += (r ? ", " : "") + one_row;
            return sql;
        };

        std::vector<Value> after;  // the last key copied; empty before the first batch
        std::int64_t copied = 0;
        for (;;) {
            std::vector<Value> select_params = after;
            select_params.emplace_back(kBatch);
            auto batch = src->query(after.empty() ? first_select : next_select,
                                    std::span<const Value>(select_params));
            if (batch.rows.empty()) break;
            after.clear();
            for (std::size_t k = 0; k < key.size(); ++k)
                after.push_back(batch.rows.back().value(k));
            to.transaction([&](Connection& dst) {
                std::vector<Value> params;
                for (std::size_t start = 0; start < batch.rows.size(); start += kPerInsert) {
                    std::size_t n = std::min(kPerInsert, batch.rows.size() - start);
                    params.clear();
                    for (std::size_t r = start; r < start + n; ++r)
                        for (std::size_t col = key.size(); col < key.size() + columns.size(); ++col)
                            params.push_back(batch.rows[r].value(col));
                    dst.query(insert_sql(n), std::span<const Value>(params));
                }
            });
            copied += static_cast<std::int64_t>(batch.rows.size());
            if (progress) progress(table, copied);
        }

        TableCopy t{table, count_rows(*src, table), 0};
        to.with_connection([&](Connection& dst) {
            // Identity columns continue after the largest copied id.
            for (const auto& r : dst.query("SELECT column_name FROM information_schema.columns "
                                           "WHERE table_schema = current_schema() AND table_name "
                                           "= ? AND is_identity = 'YES'",
                                           {table})
                                     .rows) {
                std::string col = r.text(0);
                dst.query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" +
                              quote(col) + ") FROM " + quote(table) + "), 0) + 1, false)",
                          {quote(table), col});
            }
            t.target_rows = count_rows(dst, table);
        });
        if (t.target_rows != t.source_rows || copied != t.source_rows)
            throw DbError("table " + table + ": " + std::to_string(t.source_rows) +
                          " rows in the source, " + std::to_string(t.target_rows) +
                          " in the target after copying");
        report.tables.push_back(std::move(t));
    }
    return report;
}

}  // namespace glucoplay::storage
