"""The console's configuration: environment variables only, validated at start.

Every problem is reported at once, each naming its variable, so a misconfigured container says in its first log
line what to fix (``load_config`` raises ``ConfigError``; ``python -m bigdata_console`` prints it and exits 2).
The variables are documented in console/README.md; ``VARIABLES`` below is the same list in code.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping

# name -> one-line description (README.md's table says the same, with defaults)
VARIABLES = {
    "CONSOLE_HTTP_PORT": "HTTP port inside the container (default 8080)",
    "CONSOLE_SECOND_HTTP_PORT": "a second HTTP port serving the same pages (optional)",
    "CONSOLE_KAFKA_BOOTSTRAP_SERVERS": "Kafka bootstrap servers, host:port[,host:port...] (required)",
    "CONSOLE_CONNECT_URL": "Kafka Connect REST URL, e.g. http://connect-1:8083 (required)",
    "CONSOLE_SPARK_MASTER_URL": "Spark master web UI URL, e.g. http://spark-master:8080 (optional)",
    "CONSOLE_PIPELINE_TOPIC": "the topic the pipeline overview counts (default web-crawler-test)",
    "CONSOLE_MARIADB_HOST": "MariaDB host; unset: the overview has no MariaDB row count",
    "CONSOLE_MARIADB_PORT": "MariaDB port (default 3306)",
    "CONSOLE_MARIADB_DATABASE": "database (default testdb)",
    "CONSOLE_MARIADB_USER": "user (default crawler)",
    "CONSOLE_MARIADB_TABLE": "table whose rows are counted (default test)",
    "CONSOLE_MARIADB_PASSWORD_FILE": "file holding the user's password (required with CONSOLE_MARIADB_HOST)",
    "CONSOLE_SINK_FILE": "the file sink's output file as mounted in the container (optional)",
    "CONSOLE_TABLE6_FILE": "JSON file with the benchmark's Table 6 rows (optional)",
    "CONSOLE_ACTIONS_ENABLED": "true: connector restart/pause/resume allowed with the token (default false)",
    "CONSOLE_TOKEN_FILE": "file holding the action token (required when actions are enabled)",
    "CONSOLE_BACKEND_TIMEOUT_SECONDS": "timeout of every backend call (default 3)",
    "CONSOLE_MAX_MESSAGES": "most messages the last-messages view shows (default 100)",
    "CONSOLE_LOG_LEVEL": "debug, info, warning or error (default info)",
}

_HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):([0-9]{1,5})$")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_$]{1,64}$")
_TOPIC = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
_SERVICE_LINK = re.compile(r"^CONSOLE_(SERVICE_HOST|SERVICE_PORT(_.+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)$")
MIN_TOKEN_LENGTH = 16


class ConfigError(Exception):
    """Invalid configuration; ``problems`` lists each as 'VARIABLE: what is wrong'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"invalid console configuration ({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class MariaDbConfig:
    host: str
    port: int
    database: str
    user: str
    table: str
    password: str

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Config:
    port: int
    second_port: int | None
    kafka_bootstrap_servers: str
    connect_url: str
    spark_master_url: str | None
    pipeline_topic: str
    mariadb: MariaDbConfig | None
    sink_file: str | None
    table6_file: str | None
    actions_enabled: bool
    token: str | None  # never shown anywhere; compared in constant time
    backend_timeout: float
    max_messages: int
    log_level: str


def _read_secret(path: str, var: str, problems: list[str], min_length: int = 1) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            value = f.read().strip()
    except OSError as e:
        problems.append(f"{var}: cannot read {path}: {e.strerror or e}")
        return None
    if len(value) < min_length:
        what = "is empty" if not value else f"holds {len(value)} characters; at least {min_length} are required"
        problems.append(f"{var}: the file {path} {what}")
        return None
    return value


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """The configuration from ``env`` (default: the process environment); raises ConfigError naming each problem."""
    env = os.environ if env is None else env
    problems: list[str] = []

    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(name)
        if value is None or value.strip() == "":
            return default
        return value.strip()

    def integer(name: str, default: int, low: int, high: int) -> int:
        raw = get(name)
        if raw is None:
            return default
        if not re.fullmatch(r"[0-9]+", raw) or not low <= int(raw) <= high:
            problems.append(f"{name}: must be an integer from {low} to {high}; got {raw!r}")
            return default
        return int(raw)

    def boolean(name: str, default: bool) -> bool:
        raw = get(name)
        if raw is None:
            return default
        if raw.lower() in ("true", "1", "yes", "on"):
            return True
        if raw.lower() in ("false", "0", "no", "off"):
            return False
        problems.append(f"{name}: must be true or false; got {raw!r}")
        return default

    def url(name: str, required: bool) -> str | None:
        raw = get(name)
        if raw is None:
            if required:
                problems.append(f"{name}: is required (e.g. http://host:port)")
            return None
        if not _URL.match(raw):
            problems.append(f"{name}: must be an http:// or https:// URL without query; got {raw!r}")
            return None
        return raw.rstrip("/")

    port = integer("CONSOLE_HTTP_PORT", 8080, 1, 65535)
    second_port = integer("CONSOLE_SECOND_HTTP_PORT", 0, 1, 65535) or None
    if second_port == port:
        problems.append(f"CONSOLE_SECOND_HTTP_PORT: must differ from CONSOLE_HTTP_PORT ({port}); got {second_port}")
        second_port = None

    bootstrap = get("CONSOLE_KAFKA_BOOTSTRAP_SERVERS")
    if bootstrap is None:
        problems.append("CONSOLE_KAFKA_BOOTSTRAP_SERVERS: is required (host:port[,host:port...], e.g. kafka-1:9092)")
        bootstrap = ""
    else:
        bad = [s for s in bootstrap.split(",") if not _HOST_PORT.match(s.strip())
               or not 1 <= int(s.strip().rsplit(":", 1)[1]) <= 65535]
        if bad:
            problems.append(f"CONSOLE_KAFKA_BOOTSTRAP_SERVERS: each entry must be host:port; got {', '.join(map(repr, bad))}")
        bootstrap = ",".join(s.strip() for s in bootstrap.split(","))

    connect_url = url("CONSOLE_CONNECT_URL", required=True) or ""
    spark_url = url("CONSOLE_SPARK_MASTER_URL", required=False)

    topic = get("CONSOLE_PIPELINE_TOPIC", "web-crawler-test") or ""
    if not _TOPIC.match(topic):
        problems.append(f"CONSOLE_PIPELINE_TOPIC: not a valid Kafka topic name (letters, digits, . _ -); got {topic!r}")

    mariadb = None
    host = get("CONSOLE_MARIADB_HOST")
    mariadb_port = integer("CONSOLE_MARIADB_PORT", 3306, 1, 65535)
    if host is not None:
        if not _HOST.match(host):
            problems.append(f"CONSOLE_MARIADB_HOST: must be a host name or address; got {host!r}")
        names = {}
        for var, default in (("CONSOLE_MARIADB_DATABASE", "testdb"), ("CONSOLE_MARIADB_USER", "crawler"),
                             ("CONSOLE_MARIADB_TABLE", "test")):
            names[var] = get(var, default) or default
            if not _IDENTIFIER.match(names[var]):
                problems.append(f"{var}: must be 1-64 letters, digits, _ or $; got {names[var]!r}")
        password_file = get("CONSOLE_MARIADB_PASSWORD_FILE")
        password = None
        if password_file is None:
            problems.append("CONSOLE_MARIADB_PASSWORD_FILE: is required when CONSOLE_MARIADB_HOST is set "
                            "(the path of a file holding the password)")
        else:
            password = _read_secret(password_file, "CONSOLE_MARIADB_PASSWORD_FILE", problems)
        if password is not None:
            mariadb = MariaDbConfig(host=host, port=mariadb_port, database=names["CONSOLE_MARIADB_DATABASE"],
                                    user=names["CONSOLE_MARIADB_USER"], table=names["CONSOLE_MARIADB_TABLE"],
                                    password=password)
    else:
        for var in ("CONSOLE_MARIADB_PASSWORD_FILE", "CONSOLE_MARIADB_DATABASE", "CONSOLE_MARIADB_USER",
                    "CONSOLE_MARIADB_TABLE", "CONSOLE_MARIADB_PORT"):
            if get(var) is not None:
                problems.append(f"{var}: is set but CONSOLE_MARIADB_HOST is not; set the host too, or unset {var}")

    def path(name: str) -> str | None:
        raw = get(name)
        if raw is not None and not raw.startswith("/"):
            problems.append(f"{name}: must be an absolute path; got {raw!r}")
            return None
        return raw

    sink_file = path("CONSOLE_SINK_FILE")
    table6_file = path("CONSOLE_TABLE6_FILE")

    actions = boolean("CONSOLE_ACTIONS_ENABLED", False)
    token = None
    token_file = get("CONSOLE_TOKEN_FILE")
    if actions:
        if token_file is None:
            problems.append("CONSOLE_TOKEN_FILE: is required when CONSOLE_ACTIONS_ENABLED is true "
                            "(the path of a file holding the action token)")
        else:
            token = _read_secret(token_file, "CONSOLE_TOKEN_FILE", problems, MIN_TOKEN_LENGTH)

    timeout_raw = get("CONSOLE_BACKEND_TIMEOUT_SECONDS")
    timeout = 3.0
    if timeout_raw is not None:
        try:
            timeout = float(timeout_raw)
            if not 0.2 <= timeout <= 30:
                raise ValueError
        except ValueError:
            problems.append(f"CONSOLE_BACKEND_TIMEOUT_SECONDS: must be a number of seconds from 0.2 to 30; got {timeout_raw!r}")
            timeout = 3.0

    max_messages = integer("CONSOLE_MAX_MESSAGES", 100, 1, 1000)
    log_level = (get("CONSOLE_LOG_LEVEL", "info") or "info").lower()
    if log_level not in ("debug", "info", "warning", "error"):
        problems.append(f"CONSOLE_LOG_LEVEL: must be debug, info, warning or error; got {log_level!r}")
        log_level = "info"

    # a typo in a variable name is an error; Kubernetes' service links for a Service named "console"
    # (CONSOLE_PORT=tcp://..., CONSOLE_SERVICE_HOST, ...) are not ours and are ignored
    unknown = sorted(k for k in env if k.startswith("CONSOLE_") and k not in VARIABLES and not _SERVICE_LINK.match(k))
    for k in unknown:
        problems.append(f"{k}: unknown variable (known: {', '.join(VARIABLES)})")

    if problems:
        raise ConfigError(problems)
    return Config(port=port, second_port=second_port, kafka_bootstrap_servers=bootstrap, connect_url=connect_url, spark_master_url=spark_url,
                  pipeline_topic=topic, mariadb=mariadb, sink_file=sink_file, table6_file=table6_file,
                  actions_enabled=actions, token=token, backend_timeout=timeout, max_messages=max_messages,
                  log_level=log_level)
