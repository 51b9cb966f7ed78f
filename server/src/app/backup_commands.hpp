#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "app/config.hpp"

namespace glucoplay::app {

// glucoplay backup --to DIR: a consistent copy of the SQLite database plus a .sha256 file, then
// retention (7 daily, 4 weekly) in DIR. Prints {file, sha256, removed} as JSON. PostgreSQL
// deployments use pg_dump -Fc (exit 2 with that advice).
int run_backup(const Config& cfg, const std::filesystem::path& to);
// glucoplay restore FILE: checks the checksum and the file, then copies it over the configured
// SQLite database. Stop the server first.
int run_restore(const Config& cfg, const std::filesystem::path& file);

// serve --backup-every: backs up every `every` into `dir` on its own thread until destroyed.
class BackupScheduler {
  public:
    BackupScheduler(std::string sqlite_path, std::filesystem::path dir, std::chrono::seconds every);
    ~BackupScheduler();
    BackupScheduler(const BackupScheduler&) = delete;
    BackupScheduler& operator=(const BackupScheduler&) = delete;

  private:
    void loop();

    std::string path_;
    std::filesystem::path dir_;
    std::chrono::seconds every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

// The file path of a SQLite database URL, or "" for PostgreSQL.
std::string sqlite_path_of(const std::string& database_url);

}  // namespace glucoplay::app
