#!/usr/bin/env python3
"""Static checks of deploy/ that fail when it drifts from the code (part of `make test-deploy`).

There is no Docker engine where the tests run, so the images are never built here. Instead:
  Dockerfile      every COPY source exists and is not .dockerignored (sources from the build stage
                  are the Makefile's outputs), every script and `make` target a RUN line calls
                  exists, RUN lines call nothing else than a short list of system tools, the api
                  stage runs as a non-root user with a HEALTHCHECK on /api/health, and its runtime
                  packages provide every shared library the server binary links (ldd + dpkg -S);
  compose         parses (PyYAML, with merge keys), has the services the design names, every
                  depends_on/volume/network/build target it uses is defined, every ${VAR} comes
                  from .env.example, every GLUCOPLAY_* it sets is a real server setting;
  .env.example    lists exactly the settings `glucoplay serve --help` prints, each with a comment,
                  no secret values, nothing compose overrides anyway;
  nginx           the template's ${NGX_*} placeholders are exactly the ones the web image and
                  compose provide.
Usage: check_static.py GLUCOPLAY_BIN
"""
import fnmatch
import os
import re
import shlex
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy")
errors = []


def error(message):
    errors.append(message)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# ---- What the code says ----------------------------------------------------------------------------
def server_settings(binary):
    out = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    names = set(re.findall(r"\[env (GLUCOPLAY_[A-Z0-9_]+)", out))
    if len(names) < 5:
        sys.exit(f"check_static: could not read the settings from `{binary} serve --help`")
    return names


def make_value(name):
    return subprocess.run(["make", "-s", "--no-print-directory", "--eval", f"print-var: ; @echo $({name})",
                           "print-var"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def make_targets():
    out = subprocess.run(["make", "-pRrq", ":"], cwd=ROOT, capture_output=True, text=True).stdout
    targets = set()
    for line in out.splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*):(?!=)", line)
        if m:
            targets.add(m.group(1))
    return targets


def dockerignore_patterns():
    pats = []
    for line in read(".dockerignore").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            pats.append(line.rstrip("/").lstrip("/"))
    return pats


def ignored(path, patterns):
    """Docker's rules, as far as this repository uses them: a pattern matches a path (or one of its
    parent directories) from the context root; a leading **/ matches at any depth."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pat in patterns:
        if pat.startswith("**/"):
            if any(fnmatch.fnmatch(part, pat[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pat) for prefix in prefixes):
            return True
    return False


# ---- Dockerfile --------------------------------------------------------------------------------
ALLOWED_COMMANDS = {"apt-get", "rm", "groupadd", "useradd", "install", "make"}


def dockerfile_instructions(text):
    """(stage, instruction, arguments) with continuation lines joined and comments dropped."""
    joined, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    stage, out = None, []
    for line in joined:
        instr, _, args = line.strip().partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", args.strip(), re.I)
            stage = m.group(2) or m.group(1)
        out.append((stage, instr, args.strip()))
    return out


def check_dockerfile(binary):
    text = read("deploy/Dockerfile")
    instructions = dockerfile_instructions(text)
    stages = [a for (_, i, a) in instructions if i == "FROM"]
    stage_names = [re.split(r"\s+AS\s+", s, flags=re.I)[-1] for s in stages]
    for expected in ("build", "api", "web"):
        if expected not in stage_names:
            error(f"Dockerfile: no '{expected}' stage")
    patterns = dockerignore_patterns()
    targets = make_targets()
    server_bin = make_value("SERVER_BIN")
    build_workdir = None
    runtime_packages = set()
    api_user = None
    for stage, instr, args in instructions:
        if stage == "build" and instr == "WORKDIR":
            build_workdir = args
        if instr == "COPY":
            words = shlex.split(args)
            flags = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            sources = paths[:-1]
            from_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            for src in sources:
                if from_stage:
                    if from_stage not in stage_names:
                        error(f"Dockerfile: COPY --from={from_stage}: no such stage")
                    rel = os.path.relpath(src, build_workdir or "/")
                    if rel != server_bin and rel != "web/dist":
                        error(f"Dockerfile: COPY --from={from_stage} {src}: not a Makefile output "
                              f"(server: {server_bin}, UI: web/dist)")
                elif src != ".":
                    if not os.path.exists(os.path.join(ROOT, src)):
                        error(f"Dockerfile: COPY source {src} does not exist")
                    elif ignored(src, patterns):
                        error(f"Dockerfile: COPY source {src} is excluded by .dockerignore")
                    elif src.endswith(".sh") or src.startswith("scripts/"):
                        if not os.access(os.path.join(ROOT, src), os.X_OK):
                            error(f"Dockerfile: {src} is copied but not executable")
        if instr == "RUN":
            body = re.sub(r"--mount=\S+\s*", "", args)
            for command in re.split(r"&&|\|\||;|\|", body):
                words = shlex.split(command)
                while words and re.match(r"^[A-Z_]+=", words[0]):
                    words = words[1:]
                if not words:
                    continue
                cmd = words[0]
                if cmd.startswith("scripts/") or cmd.startswith("./scripts/"):
                    path = os.path.join(ROOT, cmd.removeprefix("./"))
                    if not os.access(path, os.X_OK):
                        error(f"Dockerfile: RUN {cmd}: no such executable script")
                elif cmd == "make":
                    for w in words[1:]:
                        if not w.startswith("-") and "=" not in w and w not in targets:
                            error(f"Dockerfile: RUN make {w}: no such Makefile target")
                elif cmd not in ALLOWED_COMMANDS:
                    error(f"Dockerfile: RUN calls '{cmd}': use a project script or make target "
                          f"(allowed system tools: {', '.join(sorted(ALLOWED_COMMANDS))})")
                if stage == "api" and cmd == "apt-get" and "install" in words:
                    runtime_packages |= {w for w in words[2:] if not w.startswith("-") and w != "install"}
        if stage == "api" and instr == "USER":
            api_user = args
        if stage == "api" and instr == "HEALTHCHECK" and "/api/health" not in args:
            error("Dockerfile: the api HEALTHCHECK must call /api/health")
    if api_user in (None, "root", "0"):
        error("Dockerfile: the api stage must run as a non-root USER")
    if not any(s == "api" and i == "HEALTHCHECK" for s, i, _ in instructions):
        error("Dockerfile: the api stage has no HEALTHCHECK")
    if not any(s == "api" and i == "EXPOSE" and "8520" in a for s, i, a in instructions):
        error("Dockerfile: the api stage must EXPOSE 8520")
    web_env = set()
    for stage, instr, args in instructions:
        if stage == "web" and instr == "ENV":
            web_env |= set(re.findall(r"(NGX_[A-Z0-9_]+)=", args))
    check_runtime_libraries(binary, runtime_packages)
    return stage_names, web_env


# Present in debian:12-slim already (apt itself needs them), or sanitizer runtimes of a test build.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
SANITIZER_PACKAGES = {"libasan8", "libubsan1", "liblsan0", "libtsan2"}


def check_runtime_libraries(binary, runtime_packages):
    # The binary's own NEEDED entries; what those libraries need in turn comes with their packages.
    dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    direct = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    needed = {}
    for line in out.splitlines():
        m = re.search(r"^\s*(\S+)\s+=>\s+(/\S+)", line)
        if not m or m.group(1) not in direct:
            continue
        m = re.search(r"=>\s+(/\S+)", line)
        path = os.path.realpath(m.group(1))
        candidates = {m.group(1), path}
        for p in list(candidates):
            candidates.add(p.replace("/usr/lib/", "/lib/") if p.startswith("/usr/lib/") else "/usr" + p)
        owner = None
        for p in candidates:
            r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
            if r.returncode == 0:
                owner = r.stdout.split(":")[0]
                break
        if owner is None:
            error(f"runtime libraries: no Debian package owns {m.group(1)}")
            continue
        needed[owner] = m.group(1)
    for pkg, lib in sorted(needed.items()):
        if pkg in BASE_PACKAGES or pkg in SANITIZER_PACKAGES:
            continue
        if pkg not in runtime_packages:
            error(f"Dockerfile: the api stage does not install {pkg} (the server links {lib})")


# ---- .env.example ------------------------------------------------------------------------------
def parse_env_example():
    """{key: (value, active, documented)} for `KEY=...` and commented `# KEY=...` lines."""
    entries = {}
    previous = ""
    for n, raw in enumerate(read("deploy/.env.example").splitlines(), 1):
        line = raw.strip()
        m = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if m:
            key = m.group(2)
            if key in entries:
                error(f".env.example:{n}: {key} appears twice")
            documented = previous.startswith("#") and not re.match(r"^#\s*[A-Z][A-Z0-9_]*=", previous)
            entries[key] = (m.group(3), m.group(1) is None, documented)
            if not documented:
                error(f".env.example:{n}: {key} has no comment line above it")
        elif line and not line.startswith("#"):
            error(f".env.example:{n}: not KEY=VALUE: {line}")
        previous = line
    return entries


def check_env_and_compose(binary, stage_names, web_env):
    settings = server_settings(binary)
    env = parse_env_example()
    gp = {k for k in env if k.startswith("GLUCOPLAY_")}
    for k in sorted(gp - settings):
        error(f".env.example: {k} is not a server setting (glucoplay serve --help)")
    for k in sorted(settings - gp):
        error(f".env.example: the server setting {k} is not listed (add it, commented if compose sets it)")
    for k, (value, active, _) in env.items():
        if re.search(r"(SECRET|PASSWORD|_TOKEN|_KEY)$", k) and value.strip():
            error(f".env.example: {k} must be empty (no secrets in the repository)")

    text = read("deploy/docker-compose.yml")
    try:
        compose = yaml.safe_load(text)
    except yaml.YAMLError as e:
        error(f"docker-compose.yml does not parse: {e}")
        return
    services = compose.get("services", {})
    for name in ("db", "api1", "api2", "web", "certbot", "backup"):
        if name not in services:
            error(f"docker-compose.yml: no '{name}' service")
    volumes = set((compose.get("volumes") or {}).keys())
    networks = set((compose.get("networks") or {}).keys())
    readme = read("deploy/README.md") if os.path.exists(os.path.join(DEPLOY, "README.md")) else ""
    used_vars = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    for v in sorted(used_vars):
        if v not in env:
            error(f"docker-compose.yml uses ${{{v}}}, which .env.example does not list")
    for k in sorted(k for k in env if not k.startswith("GLUCOPLAY_")):
        if k not in used_vars and k not in readme:
            error(f".env.example: {k} is used neither by docker-compose.yml nor deploy/README.md")
    compose_set = set()
    for name, svc in services.items():
        build = svc.get("build")
        if build:
            ctx = os.path.normpath(os.path.join(DEPLOY, build.get("context", ".")))
            dockerfile = os.path.join(ctx, build.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(dockerfile):
                error(f"docker-compose.yml: {name}: no Dockerfile at {dockerfile}")
            if build.get("target") and build["target"] not in stage_names:
                error(f"docker-compose.yml: {name}: no Dockerfile stage '{build['target']}'")
        deps = svc.get("depends_on") or {}
        for dep in deps:
            if dep not in services:
                error(f"docker-compose.yml: {name} depends on unknown service {dep}")
            if isinstance(deps, dict):
                cond = deps[dep].get("condition", "service_started")
                if cond not in ("service_started", "service_healthy", "service_completed_successfully"):
                    error(f"docker-compose.yml: {name}: bad condition {cond}")
        for vol in svc.get("volumes") or []:
            src = str(vol).split(":")[0]
            if not src.startswith((".", "/")) and src not in volumes:
                error(f"docker-compose.yml: {name} mounts undeclared volume {src}")
        for net in (svc.get("networks") or []):
            if net not in networks:
                error(f"docker-compose.yml: {name} uses undeclared network {net}")
        for env_file in ([svc["env_file"]] if isinstance(svc.get("env_file"), str) else svc.get("env_file") or []):
            if not os.path.isfile(os.path.join(DEPLOY, env_file + ".example")):
                error(f"docker-compose.yml: {name}: env_file {env_file} has no {env_file}.example")
        environment = svc.get("environment") or {}
        for k in environment:
            if k.startswith("GLUCOPLAY_"):
                if k not in settings:
                    error(f"docker-compose.yml: {name} sets {k}, which is not a server setting")
                compose_set.add(k)
    for k in sorted(compose_set):
        if k in env and env[k][1]:
            error(f".env.example: {k} is set, but docker-compose.yml overrides it (comment it out)")

    # nginx placeholders: the template needs exactly what the image and compose provide.
    conf = read("deploy/nginx/glucoplay.conf")
    placeholders = set(re.findall(r"\$\{(NGX_[A-Z0-9_]+)\}", conf))
    provided = web_env | {k for k in (services.get("web", {}).get("environment") or {}) if k.startswith("NGX_")}
    for p in sorted(placeholders - provided):
        error(f"nginx: ${{{p}}} is set neither in the web image (Dockerfile) nor by compose")
    for p in sorted(provided - placeholders):
        error(f"nginx: {p} is provided but deploy/nginx/glucoplay.conf does not use it")
    stray = set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", conf)) - placeholders
    if stray:
        error(f"nginx: placeholders without the NGX_ prefix are not rendered: {sorted(stray)}")


def check_scripts():
    for dirpath, _, files in os.walk(DEPLOY):
        for f in files:
            path = os.path.join(dirpath, f)
            if f.endswith(".sh"):
                if not os.access(path, os.X_OK):
                    error(f"{os.path.relpath(path, ROOT)} is not executable")
                shell = "bash" if open(path).readline().strip().endswith("bash") else "sh"
                r = subprocess.run([shell, "-n", path], capture_output=True, text=True)
                if r.returncode != 0:
                    error(f"{os.path.relpath(path, ROOT)}: {r.stderr.strip()}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    stage_names, web_env = check_dockerfile(binary)
    check_env_and_compose(binary, stage_names, web_env)
    check_scripts()
    if errors:
        for e in errors:
            print(f"check_static: FAIL: {e}", file=sys.stderr)
        sys.exit(1)
    print("check_static: ok (Dockerfile, docker-compose.yml, .env.example, nginx placeholders, scripts)")


if __name__ == "__main__":
    main()
