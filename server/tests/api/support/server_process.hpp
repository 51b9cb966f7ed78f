#pragma once

// Starts the real glucoplay binary on free ports with a temporary data directory and web root,
// and collects its log lines. The database is DATA_DIR/glucoplay.db, or with PostgreSQL a fresh
// database made for the data directory (support/test_database.hpp). Readiness is taken from the
// "listening" log lines, not from sleeps.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace glucoplay::testing {

std::filesystem::path make_temp_dir(const std::string& prefix);

// A temporary directory removed (with the PostgreSQL database made for it, if any) when this goes
// out of scope, also when an ASSERT ends the test early. For data directories that several
// processes share; declare it before the processes, so that they stop first.
class TempDir {
  public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    operator const std::filesystem::path&() const { return path_; }

  private:
    std::filesystem::path path_;
};

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    std::string output;
};

// Runs the binary to completion with these arguments (cwd = `cwd`), capturing stdout+stderr.
// With PostgreSQL (support/test_database.hpp) it gets the database made for `cwd`.
ProcessResult run_binary(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "");

class ServerProcess {
  public:
    struct Options {
        std::vector<std::string> args;           // extra `serve` flags
        std::map<std::string, std::string> env;  // extra environment
        std::filesystem::path data_dir;          // empty: a fresh temporary directory
        bool expect_ready = true;                // wait for both listeners
    };

    ServerProcess();
    explicit ServerProcess(Options options);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short api_port() const { return api_port_; }
    unsigned short web_port() const { return web_port_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    const std::filesystem::path& web_root() const { return web_root_; }
    pid_t pid() const { return pid_; }

    // Sends a signal and returns at once.
    void signal(int sig);
    // Waits for the process to exit (up to timeout); returns its exit code, -1 for a signal,
    // or throws on timeout.
    int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(15));
    bool running();

    std::vector<std::string> log_lines() const;
    std::string log_text() const;
    // Waits until a log line satisfies `pred`; returns that line or "" on timeout.
    std::string wait_for_log(const std::function<bool(const std::string&)>& pred,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  private:
    void reader(int fd);

    std::filesystem::path data_dir_;
    std::filesystem::path web_root_;
    bool owns_dir_ = false;
    pid_t pid_ = -1;
    int exit_code_ = 0;
    bool exited_ = false;
    unsigned short api_port_ = 0;
    unsigned short web_port_ = 0;
    std::thread reader_;
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::vector<std::string> lines_;
    bool eof_ = false;
};

}  // namespace glucoplay::testing
