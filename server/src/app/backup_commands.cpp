#include "app/backup_commands.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <iostream>

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace glucoplay::app {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string sqlite_path_of(const std::string& url) {
    if (storage::is_postgres_url(url)) return "";
    return url.starts_with("sqlite:") ? url.substr(7) : url;
}

namespace {

// `database`: a SQLite path, or a postgres:// URL (pg_dump).
json::object backup_once(const std::string& database, const fs::path& dir) {
    fs::path file = storage::is_postgres_url(database)
                        ? storage::backup::backup_postgres(database, dir, util::now_unix())
                        : storage::backup::backup_sqlite(database, dir, util::now_unix());
    json::array removed;
    for (const auto& p : storage::backup::prune_backups(dir))
        removed.push_back(json::string(p.string()));
    return json::object{{"file", file.string()},
                        {"sha256", storage::backup::sha256_file(file)},
                        {"removed", std::move(removed)}};
}

}  // namespace

int run_backup(const Config& cfg, const fs::path& to) {
    const std::string sqlite_path = sqlite_path_of(cfg.database);
    try {
        std::cout << json::serialize(
                         backup_once(sqlite_path.empty() ? cfg.database : sqlite_path, to))
                  << "\n";
        return 0;
    } catch (const storage::DbError& e) {
        std::cerr << "glucoplay backup: " << e.what() << "\n";
        return 1;
    }
}

int run_restore(const Config& cfg, const fs::path& file) {
    const std::string path = sqlite_path_of(cfg.database);
    try {
        if (path.empty())
            storage::backup::restore_postgres(file, cfg.database);
        else
            storage::backup::restore_sqlite(file, path);
        spdlog::info("restored {} into {}", file.string(),
                     path.empty() ? storage::redact_url(cfg.database) : path);
        return 0;
    } catch (const storage::DbError& e) {
        std::cerr << "glucoplay restore: " << e.what() << "\n";
        return 1;
    }
}

BackupScheduler::BackupScheduler(std::string sqlite_path, fs::path dir, std::chrono::seconds every)
    : path_(std::move(sqlite_path)), dir_(std::move(dir)), every_(every) {
    thread_ = std::thread([this] { loop(); });
}

BackupScheduler::~BackupScheduler() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void BackupScheduler::loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
        lock.unlock();
        try {
            auto r = backup_once(path_, dir_);
            spdlog::info("scheduled backup written file={} removed={}",
                         r.at("file").as_string().c_str(), r.at("removed").as_array().size());
        } catch (const std::exception& e) {
            spdlog::error("scheduled backup failed: {}", e.what());
        }
        lock.lock();
    }
}

}  // namespace glucoplay::app
