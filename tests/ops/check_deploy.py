#!/usr/bin/env python3
"""What can be checked of deploy/ without a Docker engine.

- docker-compose.yml parses, names every service of the deployment, runs the binaries with their real
  subcommands, and publishes the ports the contract names (API 8080, simulator 8090);
- every ALATAR_* variable in the compose file and env.example is a key the binaries read (the key table of
  src/common/config.cpp), every variable of the contract is set in env.example, and env.example holds
  placeholders, not secrets;
- prometheus.yml scrapes compose services on the ports they listen on;
- the Dockerfile's runtime stage installs a Debian package for every shared library `ldd` reports for the
  binaries (direct dependencies listed explicitly, the rest pulled in by apt), runs as a non-root user and
  has a health check.

usage: check_deploy.py --repo DIR [--binary FILE]...
Exits 1 and prints one line per problem when something is wrong.
"""

import argparse
import os
import re
import subprocess
import sys

import yaml

# The deployment of issue 11: services and the role each plays.
EXPECTED_SERVICES = {
    "postgres": None,
    "rabbitmq": None,
    "migrate": "migrate",
    "api-1": "api",
    "api-2": "api",
    "worker-1": "worker",
    "worker-2": "worker",
    "simulator": "serve",
    "prometheus": None,
}
# ARCHITECTURE.md, "Contract": the variables a deployment must set.
CONTRACT_VARIABLES = [
    "ALATAR_DATABASE_URL",
    "ALATAR_AMQP_URL",
    "ALATAR_MASTER_KEY",
    "ALATAR_SHOPIFY_API_KEY",
    "ALATAR_SHOPIFY_API_SECRET",
    "ALATAR_LLM_API_KEY",
    "ALATAR_SHOPIFY_SHOP_URL",
]
API_PORT = 8080
SIMULATOR_PORT = 8090
# Sanitizer runtimes appear in ldd of the test build (ASan/UBSan) only; the image builds without them.
SANITIZER_LIBS = re.compile(r"^lib(asan|ubsan|tsan|lsan|hwasan)\.so")


class Problems:
    def __init__(self):
        self.items = []

    def add(self, text):
        self.items.append(text)


# ---------------------------------------------------------------- configuration keys (src/common/config.cpp)


def config_keys(repo):
    """(keys, secret keys, allowed exact names, allowed prefixes) from the key table of config.cpp."""
    text = open(os.path.join(repo, "src/common/config.cpp"), encoding="utf-8").read()
    rows = re.findall(r'\{"([a-z0-9_]+)",\s*&Config::\w+,\s*(?:"[^"]*"\s*)+,\s*S::(\w+)', text)
    keys = {name for name, _ in rows}
    secrets = {name for name, secrecy in rows if secrecy != "kPublic"}

    def string_array(label):
        m = re.search(label + r"\{([^}]*)\}", text)
        return re.findall(r'"([A-Z0-9_]+)"', m.group(1)) if m else []

    exact = string_array(r"kExact")
    prefixes = string_array(r"kPrefixes")
    return keys, secrets, exact, prefixes


def variable_problem(name, keys, secrets, exact, prefixes):
    """"" when the binaries read the ALATAR_* variable `name`, otherwise why not."""
    if name in exact or any(name.startswith(p) for p in prefixes):
        return ""
    key = name[len("ALATAR_"):].lower()
    if key in keys:
        return ""
    if key.endswith("_file") and key[: -len("_file")] in secrets:
        return ""
    return f"{name} is not a configuration key of src/common/config.cpp"


# ---------------------------------------------------------------- compose file


def command_words(service):
    cmd = service.get("command", [])
    return cmd.split() if isinstance(cmd, str) else [str(c) for c in cmd]


def container_ports(service):
    """Published ports as (host, container) pairs."""
    out = []
    for p in service.get("ports", []):
        parts = str(p).split(":")
        out.append((int(parts[-2]), int(parts[-1])))
    return out


def env_file_variables(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if sep:
            out[name.strip()] = value.strip()
    return out


def check_compose(deploy, config, problems):
    keys, secrets, exact, prefixes = config
    compose_text = open(os.path.join(deploy, "docker-compose.yml"), encoding="utf-8").read()
    compose = yaml.safe_load(compose_text)
    services = compose.get("services", {})
    env_example = env_file_variables(os.path.join(deploy, "env.example"))

    for name in EXPECTED_SERVICES:
        if name not in services:
            problems.add(f"compose: service {name} is missing")
    for name, role in EXPECTED_SERVICES.items():
        service = services.get(name)
        if service is None or role is None:
            continue
        words = command_words(service)
        if not words or words[0] != role:
            problems.add(f"compose: {name} should run '{role}', runs {words}")
        if role != "serve" and service.get("env_file") != ".env":
            problems.add(f"compose: {name} should read its configuration and secrets from env_file .env")

    # API: listens on the contract port inside the container and publishes it.
    for name in ("api-1", "api-2"):
        service = services.get(name, {})
        listen = (service.get("environment") or {}).get("ALATAR_LISTEN", "")
        if not listen.endswith(f":{API_PORT}"):
            problems.add(f"compose: {name} ALATAR_LISTEN should end in :{API_PORT}, is '{listen}'")
        if API_PORT not in [c for _, c in container_ports(service)]:
            problems.add(f"compose: {name} does not publish container port {API_PORT}")
    hosts = [h for name in ("api-1", "api-2") for h, _ in container_ports(services.get(name, {}))]
    if len(hosts) != len(set(hosts)):
        problems.add(f"compose: the API containers publish the same host port twice: {hosts}")

    simulator = services.get("simulator", {})
    if "demo" not in simulator.get("profiles", []):
        problems.add("compose: the simulator should run only in the demo profile")
    sim_words = command_words(simulator)
    if f"0.0.0.0:{SIMULATOR_PORT}" not in sim_words:
        problems.add(f"compose: the simulator should listen on 0.0.0.0:{SIMULATOR_PORT}")
    if SIMULATOR_PORT not in [c for _, c in container_ports(simulator)]:
        problems.add(f"compose: the simulator does not publish port {SIMULATOR_PORT}")

    prometheus = services.get("prometheus", {})
    mounts = " ".join(str(v) for v in prometheus.get("volumes", []))
    for f in ("prometheus.yml", "alerts.yml"):
        if f"./prometheus/{f}:" not in mounts:
            problems.add(f"compose: prometheus does not mount deploy/prometheus/{f}")

    # Variables: every ALATAR_* the compose file or env.example sets is read by the binaries.
    used = set(env_example)
    for service in services.values():
        env = service.get("environment") or {}
        used.update(env if isinstance(env, dict) else [e.split("=", 1)[0] for e in env])
    used.update(re.findall(r"\bALATAR_[A-Z0-9_]+", compose_text))
    for name in sorted(used):
        if name.startswith("ALATAR_"):
            why = variable_problem(name, keys, secrets, exact, prefixes)
            if why:
                problems.add("variables: " + why)
    for name in CONTRACT_VARIABLES:
        if name not in env_example:
            problems.add(f"env.example: {name} (a contract variable) is not set")
    # Compose interpolation ${VAR...} must be defined in the env file.
    for name in sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", compose_text))):
        if name not in env_example:
            problems.add(f"compose: ${{{name}}} is interpolated but env.example does not define it")
    # Secrets in env.example are placeholders.
    for name in sorted(env_example):
        is_secret = name.startswith("ALATAR_") and name[len("ALATAR_"):].lower() in secrets
        if name.endswith(("_PASSWORD", "_PASS")) or (is_secret and not name.endswith(("_URL",))):
            if "change-me" not in env_example[name]:
                problems.add(f"env.example: {name} should be a change-me placeholder, not a value")
    return services


def check_prometheus(deploy, services, problems):
    config = yaml.safe_load(open(os.path.join(deploy, "prometheus/prometheus.yml"), encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config.get("scrape_configs", [])}
    for job in ("alatar-api", "alatar-worker"):
        if job not in jobs:
            problems.add(f"prometheus.yml: no scrape job {job} (the alerts select on it)")
    for job in jobs.values():
        for static in job.get("static_configs", []):
            for target in static.get("targets", []):
                host, _, port = target.partition(":")
                if host not in services:
                    problems.add(f"prometheus.yml: target {target} is not a compose service")
                elif job["job_name"] == "alatar-api" and int(port) != API_PORT:
                    problems.add(f"prometheus.yml: API target {target} is not on port {API_PORT}")


# ---------------------------------------------------------------- Dockerfile


def dockerfile_stages(text):
    """Stage name -> its text (instructions from its FROM to the next)."""
    stages = {}
    for block in re.split(r"(?m)^(?=FROM\s)", text):
        m = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", block, re.IGNORECASE)
        if m:
            stages[m.group(1) or f"stage{len(stages)}"] = block
    return stages


def runtime_packages(runtime):
    m = re.search(r"# RUNTIME-PACKAGES-BEGIN\n(.*?)# RUNTIME-PACKAGES-END", runtime, re.S)
    if not m:
        return []
    return [w for w in re.findall(r"[a-z0-9][a-z0-9.+-]+", m.group(1))]


def packages_of(paths):
    """Path -> the Debian package that ships it (usr-merge aware); paths no package ships are absent."""
    candidates = {}
    for path in paths:
        names = [path, os.path.realpath(path)]
        names += ["/usr" + n for n in list(names) if n.startswith("/lib")]
        for n in names:
            candidates.setdefault(n, path)
    r = subprocess.run(["dpkg-query", "-S"] + sorted(candidates), capture_output=True, text=True)
    owners = {}
    for line in r.stdout.splitlines():
        pkg, sep, file = line.partition(": ")
        if sep and file in candidates:
            owners.setdefault(candidates[file], pkg.split(":")[0].split(",")[0].strip())
    return owners


def ldd_libraries(binary):
    """(soname, resolved path) of every library ldd lists, transitive ones included."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if m:
            libs.append((m.group(1), m.group(2)))
        elif re.match(r"\s*(/\S+)\s+\(", line):
            path = line.split()[0]
            libs.append((os.path.basename(path), path))
    return libs


def needed_sonames(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def dependency_closure(packages):
    """The packages apt installs for `packages` (Depends and Pre-Depends), from the local dpkg database."""
    fmt = "${Package}\t${Depends}, ${Pre-Depends}, ${Provides}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True).stdout
    depends, providers = {}, {}
    for line in out.splitlines():
        name, _, rest = line.partition("\t")
        deps, provides = rest.rsplit(", ", 1)
        # "a (>= 1) | b, c:any" -> every alternative counts (apt picks one; all are acceptable owners).
        depends[name] = {re.split(r"[\s:(]", alt.strip())[0] for alt in re.split(r"[,|]", deps) if alt.strip()}
        for p in provides.split(","):
            if p.strip():
                providers.setdefault(re.split(r"[\s(]", p.strip())[0], set()).add(name)
    closure, todo = set(), list(packages)
    while todo:
        pkg = todo.pop()
        if pkg in closure:
            continue
        closure.add(pkg)
        todo.extend(depends.get(pkg, set()) | providers.get(pkg, set()))
    return closure


def check_dockerfile(deploy, binaries, problems):
    text = open(os.path.join(deploy, "Dockerfile"), encoding="utf-8").read()
    stages = dockerfile_stages(text)
    for name, block in stages.items():
        base = block.split()[1]
        if base not in ("debian:12-slim", "debian:12", "${DEBIAN_IMAGE}"):
            problems.add(f"Dockerfile: stage {name} is not based on Debian 12 ({base})")
    if "build" not in stages or "runtime" not in stages:
        problems.add("Dockerfile: expected a 'build' stage and a 'runtime' stage")
        return
    if not re.search(r"ARG DEBIAN_IMAGE=debian:12", text):
        problems.add("Dockerfile: DEBIAN_IMAGE should default to a Debian 12 image")
    runtime = stages["runtime"]
    user = re.findall(r"(?m)^USER\s+(\S+)", runtime)
    if not user or user[-1].split(":")[0] in ("root", "0"):
        problems.add("Dockerfile: the runtime stage must end as a non-root USER")
    if not re.search(r"(?m)^HEALTHCHECK\s", runtime):
        problems.add("Dockerfile: the runtime stage has no HEALTHCHECK")
    if not re.search(r'(?m)^ENTRYPOINT \["/usr/local/bin/alatar"\]', runtime):
        problems.add("Dockerfile: the runtime ENTRYPOINT should be /usr/local/bin/alatar")
    if re.search(r"(?m)^\s+(build-essential|g\+\+|cmake)\b", runtime):
        problems.add("Dockerfile: the runtime stage installs the toolchain")

    packages = runtime_packages(runtime)
    if not packages:
        problems.add("Dockerfile: no package list between RUNTIME-PACKAGES-BEGIN/END in the runtime stage")
        return
    policy = subprocess.run(["apt-cache", "policy"] + packages, capture_output=True, text=True).stdout
    candidates = dict(re.findall(r"(?m)^(\S+?)(?::\w+)?:\n\s+Installed: .*\n\s+Candidate: (.*)$", policy))
    for pkg in packages:
        if pkg.endswith("-dev"):
            problems.add(f"Dockerfile: runtime stage installs the development package {pkg}")
        if candidates.get(pkg, "(none)") == "(none)":
            problems.add(f"Dockerfile: runtime package {pkg} does not exist in Debian 12")

    closure = dependency_closure(packages) | set(packages)
    for binary in binaries:
        direct = needed_sonames(binary)
        libs = ldd_libraries(binary)
        owners = packages_of([path for _, path in libs if path.startswith("/")])
        for soname, path in libs:
            if SANITIZER_LIBS.match(soname):
                continue
            if path == "not":
                problems.add(f"ldd {os.path.basename(binary)}: {soname} not found")
                continue
            pkg = owners.get(path)
            if pkg is None:
                problems.add(f"ldd {os.path.basename(binary)}: {path} belongs to no Debian package")
            elif soname in direct and pkg not in packages:
                problems.add(f"Dockerfile: {os.path.basename(binary)} links {soname} (package {pkg}); "
                             "list it in the runtime stage")
            elif pkg not in closure:
                problems.add(f"Dockerfile: {os.path.basename(binary)} needs {soname} (package {pkg}), "
                             "which the runtime packages do not pull in")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--binary", action="append", default=[])
    args = parser.parse_args()
    deploy = os.path.join(args.repo, "deploy")
    problems = Problems()

    config = config_keys(args.repo)
    if len(config[0]) < 10 or "database_url" not in config[0]:
        problems.add(f"could not read the key table of src/common/config.cpp (found {sorted(config[0])})")
    services = check_compose(deploy, config, problems)
    check_prometheus(deploy, services, problems)
    check_dockerfile(deploy, args.binary, problems)

    for p in problems.items:
        print("check_deploy: " + p, file=sys.stderr)
    if not problems.items:
        print(f"check_deploy: ok ({len(services)} services, {len(config[0])} config keys, "
              f"{len(args.binary)} binaries)")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
