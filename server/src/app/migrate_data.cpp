#include "app/migrate_data.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <iostream>

#include "storage/data_copy.hpp"

namespace glucoplay::app {

int run_migrate_data(const std::string& from, const std::string& to, bool force) {
    if (!from.starts_with("sqlite:")) {
        std::cerr << "glucoplay migrate-data: --from must be sqlite:PATH\n";
        return 2;
    }
    if (!storage::is_postgres_url(to)) {
        std::cerr << "glucoplay migrate-data: --to must be a postgres:// URL\n";
        return 2;
    }
    storage::DatabaseOptions options;
    options.pool_size = 1;
    auto source = storage::open_database(from, options);
    auto target = storage::open_database(to, options);
    spdlog::info("migrate-data: {} -> {}", from, storage::redact_url(to));
    try {
        auto report = storage::copy_database(
            *source, *target, force, [](const std::string& table, std::int64_t rows) {
                spdlog::debug("migrate-data: {} {} rows", table, rows);
            });
        boost::json::array tables;
        for (const auto& t : report.tables) {
            spdlog::info("migrate-data: {} {} rows copied", t.table, t.target_rows);
            tables.push_back(boost::json::object{{"table", t.table},
                                                 {"source_rows", t.source_rows},
                                                 {"target_rows", t.target_rows}});
        }
        std::cout << boost::json::serialize(boost::json::object{{"tables", std::move(tables)}})
                  << "\n";
        return 0;
    } catch (const storage::DbError& e) {
        std::cerr << "glucoplay migrate-data: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace glucoplay::app
