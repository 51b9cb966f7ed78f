#pragma once

// Backups: `glucoplay backup --to DIR`, `glucoplay restore FILE` (the SQLite online backup API
// for the embedded database, pg_dump/pg_restore for PostgreSQL) and `serve --backup-every 24h`.

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

// PostgreSQL: `pg_dump --format=custom` of the database at `url` to
// DIR/glucoplay-YYYYMMDDTHHMMSSZ.dump with the same .sha256 file and rename-when-complete. The
// password, if the URL has one, reaches pg_dump through PGPASSWORD, not its command line (which
// other local users can read). Throws DbError with pg_dump's own message.
std::filesystem::path backup_postgres(const std::string& url, const std::filesystem::path& dir,
                                      std::int64_t now);

struct BackupFile {
    std::filesystem::path path;
    std::int64_t taken_at = 0;  // from the file name, unix seconds UTC
};
// The backups in `dir` (files named as above, .db or .dump), newest first.
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
// Checks FILE against FILE.sha256, then `pg_restore --clean --if-exists --no-owner
// --single-transaction` into the database at `url`: all of it or, on any error, none of it.
void restore_postgres(const std::filesystem::path& file, const std::string& url);

}  // namespace glucoplay::storage::backup
