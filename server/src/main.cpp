// glucoplay: command-line entry point. Subcommands only; the wiring lives in app/.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <vector>

#include "app/app.hpp"
#include "app/backup_commands.hpp"
#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/migrate_data.hpp"
#include "storage/database.hpp"

namespace {

using glucoplay::app::Setting;

struct BoundOption {
    std::string env;
    CLI::Option* option;
};

// Adds one option per setting; values land in `store` keyed by the environment variable name.
std::vector<BoundOption> add_settings(CLI::App* cmd, const std::vector<Setting>& table,
                                      std::map<std::string, std::string>& store) {
    std::vector<BoundOption> bound;
    for (const auto& s : table) {
        std::string env(s.env);
        std::string help = std::string(s.help) + " [env " + env +
                           (s.fallback.empty() ? "" : ", default " + std::string(s.fallback)) + "]";
        bound.push_back({env, cmd->add_option(std::string(s.flag), store[env], help)});
    }
    return bound;
}

glucoplay::app::Config resolve(const std::vector<BoundOption>& bound,
                               const std::map<std::string, std::string>& store) {
    glucoplay::app::ConfigSources sources;
    for (const auto& b : bound)
        if (b.option->count() > 0) sources.flags[b.env] = store.at(b.env);
    sources.env = glucoplay::app::process_env;
    // The .env file's own location follows the same precedence, without the file itself.
    auto env_file = sources.flags.count("GLUCOPLAY_ENV_FILE")
                        ? sources.flags["GLUCOPLAY_ENV_FILE"]
                        : sources.env("GLUCOPLAY_ENV_FILE").value_or(".env");
    sources.dotenv = glucoplay::app::read_dotenv_file(env_file);
    return glucoplay::app::resolve_config(sources);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"GlucoPlay: diabetes-education games, food log and glucose trends (API + web UI)"};
    cli.set_version_flag("--version", glucoplay::app::kVersion);
    cli.require_subcommand(1);

    std::map<std::string, std::string> serve_store, init_store;
    CLI::App* serve = cli.add_subcommand("serve", "Serve the API and the web UI");
    auto serve_opts = add_settings(serve, glucoplay::app::settings(), serve_store);
    CLI::App* init_db =
        cli.add_subcommand("init-db", "Create or migrate the database and load seed data");
    auto init_opts = add_settings(init_db, glucoplay::app::storage_settings(), init_store);

    std::map<std::string, std::string> admin_store;
    std::string admin_username;
    CLI::App* create_admin = cli.add_subcommand(
        "create-admin",
        "Create an administrator, or promote an existing user. The password is read from "
        "GLUCOPLAY_ADMIN_PASSWORD or standard input, never from the command line");
    create_admin->add_option("USERNAME", admin_username, "the account to create or promote")
        ->required();
    auto admin_opts = add_settings(create_admin, glucoplay::app::storage_settings(), admin_store);

    std::map<std::string, std::string> import_store;
    std::string import_user, import_file;
    CLI::App* import_cgm = cli.add_subcommand("import-cgm",
                                              "Import a Dexcom Clarity CSV or Nightscout JSON "
                                              "export for a user (prints the result as JSON)");
    import_cgm->add_option("--user", import_user, "the username whose readings these are")
        ->required();
    import_cgm->add_option("FILE", import_file, "the export file (.csv Clarity, .json Nightscout)")
        ->required();
    auto import_opts = add_settings(import_cgm, glucoplay::app::storage_settings(), import_store);

    std::string migrate_from, migrate_to, migrate_log_level = "info";
    bool migrate_force = false;
    CLI::App* migrate_data = cli.add_subcommand(
        "migrate-data",
        "Copy every row of a SQLite database into PostgreSQL (stop the server first); prints "
        "each table's row counts as JSON");
    migrate_data->add_option("--from", migrate_from, "the source, sqlite:PATH")->required();
    migrate_data->add_option("--to", migrate_to, "the target, postgres://USER:PASS@HOST:PORT/DB")
        ->required();
    migrate_data->add_flag("--force", migrate_force,
                           "replace the target's rows when it already holds data");
    migrate_data->add_option("--log-level", migrate_log_level, "trace ... off");

    std::map<std::string, std::string> backup_store, restore_store;
    std::string backup_to, restore_file;
    CLI::App* backup = cli.add_subcommand(
        "backup",
        "Back up the database to DIR (consistent while the server runs: SQLite's online backup "
        "API, or pg_dump -Fc for PostgreSQL) with a .sha256 file; keeps 7 daily and 4 weekly "
        "backups there");
    backup->add_option("--to", backup_to, "the backup directory")->required();
    auto backup_opts = add_settings(backup, glucoplay::app::storage_settings(), backup_store);
    CLI::App* restore = cli.add_subcommand(
        "restore",
        "Restore the database from a backup file, all or nothing (stop the servers first)");
    restore
        ->add_option("FILE", restore_file,
                     "a glucoplay-*.db (SQLite) or glucoplay-*.dump (PostgreSQL) backup with "
                     "its .sha256")
        ->required();
    auto restore_opts = add_settings(restore, glucoplay::app::storage_settings(), restore_store);

    CLI11_PARSE(cli, argc, argv);

    // Buffered access lines are written out however main returns.
    struct FlushLogs {
        ~FlushLogs() { glucoplay::app::shutdown_logging(); }
    } flush_logs;
    try {
        if (serve->parsed()) {
            auto cfg = resolve(serve_opts, serve_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_serve(cfg);
        }
        if (init_db->parsed()) {
            auto cfg = resolve(init_opts, init_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_init_db(cfg);
        }
        if (import_cgm->parsed()) {
            auto cfg = resolve(import_opts, import_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_import_cgm(cfg, import_user, import_file);
        }
        if (backup->parsed()) {
            auto cfg = resolve(backup_opts, backup_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_backup(cfg, backup_to);
        }
        if (restore->parsed()) {
            auto cfg = resolve(restore_opts, restore_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_restore(cfg, restore_file);
        }
        if (migrate_data->parsed()) {
            glucoplay::app::setup_logging(migrate_log_level);
            return glucoplay::app::run_migrate_data(migrate_from, migrate_to, migrate_force);
        }
        if (create_admin->parsed()) {
            auto cfg = resolve(admin_opts, admin_store);
            glucoplay::app::setup_logging(cfg.log_level);
            return glucoplay::app::run_create_admin(cfg, admin_username);
        }
    } catch (const glucoplay::app::ConfigError& e) {
        std::cerr << "glucoplay: configuration error: " << e.what() << "\n";
        return 2;
    } catch (const glucoplay::storage::DbError& e) {
        std::cerr << "glucoplay: database error: " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "glucoplay: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
