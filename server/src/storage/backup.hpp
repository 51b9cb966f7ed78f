#pragma once

// Backups of the embedded SQLite database: `glucoplay backup --to DIR`, `glucoplay restore FILE`
// and `serve --backup-every 24h`.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace glucoplay::storage::backup {

// Copies the SQLite database at `db_path` to DIR/glucoplay-YYYYMMDDTHHMMSSZ.db (UTC `now`) with
// SQLite's online backup API (a consistent copy while a server keeps writing), then writes
// FILE.sha256 ("<hex>  <name>", as `sha256sum -c` reads it). The copy appears under its final name
// only when complete. Returns its path. Throws DbError.
std::filesystem::path backup_sqlite(const std::string& db_path, const std::filesystem::path& dir,
                                    std::int64_t now);

struct BackupFile {
    std::filesystem::path path;
    std::int64_t taken_at = 0;  // from the file name, unix seconds UTC
};
// The backups in `dir` (files named as above), newest first.
std::vector<BackupFile> list_backups(const std::filesystem::path& dir);

// Retention: of these backup times, keep the newest of each of the `daily` most recent UTC days
// that have a backup and the newest of each of the `weekly` most recent weeks (Monday to Sunday,
// UTC) that have one. Pure; returns the times to keep.
std::set<std::int64_t> backups_to_keep(const std::vector<std::int64_t>& taken_at, int daily = 7,
                                       int weekly = 4);
// Deletes the backups (and checksum files) in `dir` that retention does not keep; returns them.
std::vector<std::filesystem::path> prune_backups(const std::filesystem::path& dir);

// The SHA-256 of a file, lower-case hex.
std::string sha256_file(const std::filesystem::path& file);

// Checks FILE against FILE.sha256 and that it is an intact GlucoPlay database (integrity_check,
// schema_migrations present), then copies it over the database at `db_path` with the backup API.
// Throws DbError saying what is wrong; nothing is changed then.
void restore_sqlite(const std::filesystem::path& file, const std::string& db_path);

}  // namespace glucoplay::storage::backup
