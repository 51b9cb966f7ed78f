#include "support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>

#include "support/test_database.hpp"

#ifndef GLUCOPLAY_BINARY
#error "GLUCOPLAY_BINARY must name the server binary"
#endif

extern char** environ;

namespace glucoplay::testing {

namespace fs = std::filesystem;

fs::path make_temp_dir(const std::string& prefix) {
    std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

TempDir::TempDir(const std::string& prefix) : path_(make_temp_dir(prefix)) {}

TempDir::~TempDir() {
    try {
        drop_database_for(path_);
    } catch (...) {
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

// The server binary the tests start: the one built beside them, or GLUCOPLAY_TEST_SERVER_BIN
// (`make test-tsan` runs these tests against a ThreadSanitizer build of the server). Read once,
// before any fork.
const std::string kServerBinary = [] {
    const char* e = std::getenv("GLUCOPLAY_TEST_SERVER_BIN");
    return std::string(e && *e ? e : GLUCOPLAY_BINARY);
}();

// Builds argv/envp and execs the binary in the child. Environment: the parent's, minus any
// GLUCOPLAY_* setting (so a developer's shell cannot change the test), plus `env`.
[[noreturn]] void exec_child(const std::vector<std::string>& args, const fs::path& cwd,
                             const std::map<std::string, std::string>& env) {
    if (::chdir(cwd.c_str()) != 0) _exit(126);

    std::vector<std::string> vars;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "GLUCOPLAY_", 10) != 0) vars.emplace_back(*e);
    for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_s = {kServerBinary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execve(kServerBinary.c_str(), argv.data(), envp.data());
    _exit(127);
}

}  // namespace

// The environment for a process working in `dir`: with PostgreSQL, the database made for `dir`
// (unless the test chose one).
static std::map<std::string, std::string> with_test_database(std::map<std::string, std::string> env,
                                                             const fs::path& dir) {
    if (testing_postgres() && !env.count("GLUCOPLAY_DATABASE"))
        env["GLUCOPLAY_DATABASE"] = database_url_for(dir);
    return env;
}

ProcessResult run_binary(const std::vector<std::string>& args, const fs::path& cwd,
                         const std::map<std::string, std::string>& env_in,
                         const std::string& stdin_text) {
    const auto env = with_test_database(env_in, cwd);
    int out[2], in[2];
    if (::pipe(out) != 0 || ::pipe(in) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::dup2(in[0], 0);
        ::close(out[0]);
        ::close(in[1]);
        exec_child(args, cwd, env);
    }
    ::close(out[1]);
    ::close(in[0]);
    if (!stdin_text.empty()) (void)!::write(in[1], stdin_text.data(), stdin_text.size());
    ::close(in[1]);
    ProcessResult result;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        result.output.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

ServerProcess::ServerProcess() : ServerProcess(Options{}) {}

ServerProcess::ServerProcess(Options options) {
    if (options.data_dir.empty()) {
        data_dir_ = make_temp_dir("glucoplay-api-test");
        owns_dir_ = true;
    } else {
        data_dir_ = options.data_dir;
    }
    // A tiny web root, so the web listener has something to serve.
    web_root_ = data_dir_ / "web";
    fs::create_directories(web_root_ / "assets");
    std::ofstream(web_root_ / "index.html") << "<!doctype html><title>GlucoPlay test</title>";
    std::ofstream(web_root_ / "assets" / "app-abc123.js") << "export const x = 1;\n";
    std::ofstream(data_dir_ / "outside.txt") << "outside the web root";

    std::vector<std::string> args = {"serve",
                                     "--port",
                                     "0",
                                     "--web-port",
                                     "0",
                                     "--bind",
                                     "127.0.0.1",
                                     "--data-dir",
                                     data_dir_.string(),
                                     "--web-root",
                                     web_root_.string(),
                                     "--log-level",
                                     "info"};
    args.insert(args.end(), options.args.begin(), options.args.end());

    const auto env = with_test_database(options.env, data_dir_);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::close(out[0]);
        ::close(out[1]);
        exec_child(args, data_dir_, env);
    }
    ::close(out[1]);
    reader_ = std::thread([this, fd = out[0]] { reader(fd); });

    if (!options.expect_ready) return;
    static const std::regex api_re(R"(API listening on http://[^:\s]+:(\d+))");
    static const std::regex web_re(R"(Web UI listening on http://[^:\s]+:(\d+))");
    std::unique_lock lock(mutex_);
    bool ready = cv_.wait_for(lock, std::chrono::seconds(20), [&] {
        for (const auto& l : lines_) {
            std::smatch m;
            if (std::regex_search(l, m, api_re))
                api_port_ = static_cast<unsigned short>(std::stoi(m[1]));
            if (std::regex_search(l, m, web_re))
                web_port_ = static_cast<unsigned short>(std::stoi(m[1]));
        }
        return (api_port_ && web_port_) || eof_;
    });
    if (!ready || !api_port_ || !web_port_) {
        std::string log;
        for (const auto& l : lines_) log += l + "\n";
        lock.unlock();
        throw std::runtime_error("server did not become ready; output:\n" + log);
    }
}

ServerProcess::~ServerProcess() {
    if (running()) {
        signal(SIGKILL);
        try {
            wait_exit(std::chrono::seconds(5));
        } catch (...) {
        }
    }
    if (reader_.joinable()) reader_.join();
    if (owns_dir_) {
        try {
            drop_database_for(data_dir_);
        } catch (...) {
        }
        std::error_code ec;
        fs::remove_all(data_dir_, ec);
    }
}

void ServerProcess::reader(int fd) {
    std::string partial;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
        partial.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        std::lock_guard lock(mutex_);
        while ((nl = partial.find('\n')) != std::string::npos) {
            lines_.push_back(partial.substr(0, nl));
            partial.erase(0, nl + 1);
        }
        cv_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    if (!partial.empty()) lines_.push_back(partial);
    eof_ = true;
    cv_.notify_all();
}

void ServerProcess::signal(int sig) {
    if (pid_ > 0 && !exited_) ::kill(pid_, sig);
}

bool ServerProcess::running() {
    if (pid_ <= 0 || exited_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exited_ = true;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return false;
    }
    return true;
}

int ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
    if (exited_) return exit_code_;
    // The child closes its end of the log pipe when it exits: wait for that, then reap it.
    {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, timeout, [&] { return eof_; }))
            throw std::runtime_error("server did not exit in time");
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
}

std::vector<std::string> ServerProcess::log_lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

std::string ServerProcess::log_text() const {
    std::string out;
    for (const auto& l : log_lines()) out += l + "\n";
    return out;
}

std::string ServerProcess::wait_for_log(const std::function<bool(const std::string&)>& pred,
                                        std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    std::string found;
    cv_.wait_for(lock, timeout, [&] {
        for (const auto& l : lines_)
            if (pred(l)) {
                found = l;
                return true;
            }
        return eof_;
    });
    return found;
}

}  // namespace glucoplay::testing
