from __future__ import annotations

import pytest

from bigdata_console.config import ConfigError, load_config

from conftest import BASE_ENV, TOKEN


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as e:
        load_config(env)
    return e.value.problems


def test_minimal_config_has_defaults():
    cfg = load_config({"CONSOLE_KAFKA_BOOTSTRAP_SERVERS": "kafka-1:9092", "CONSOLE_CONNECT_URL": "http://connect-1:8083/"})
    assert cfg.port == 8080 and cfg.second_port is None
    assert cfg.connect_url == "http://connect-1:8083"
    assert cfg.pipeline_topic == "web-crawler-test"
    assert cfg.mariadb is None and cfg.spark_master_url is None and cfg.sink_file is None and cfg.table6_file is None
    assert cfg.actions_enabled is False and cfg.token is None
    assert cfg.backend_timeout == 3.0 and cfg.max_messages == 100


def test_required_variables_are_named_all_at_once():
    p = problems({})
    assert any(x.startswith("CONSOLE_KAFKA_BOOTSTRAP_SERVERS: is required") for x in p)
    assert any(x.startswith("CONSOLE_CONNECT_URL: is required") for x in p)
    assert len(p) == 2


def test_message_lists_each_problem():
    with pytest.raises(ConfigError) as e:
        load_config({})
    text = str(e.value)
    assert text.startswith("invalid console configuration (2 problems):")
    assert "\n  - CONSOLE_KAFKA_BOOTSTRAP_SERVERS" in text and "\n  - CONSOLE_CONNECT_URL" in text


@pytest.mark.parametrize("var,value,expected", [
    ("CONSOLE_KAFKA_BOOTSTRAP_SERVERS", "kafka-1", "CONSOLE_KAFKA_BOOTSTRAP_SERVERS: each entry must be host:port; got 'kafka-1'"),
    ("CONSOLE_KAFKA_BOOTSTRAP_SERVERS", "a:1,b:99999", "CONSOLE_KAFKA_BOOTSTRAP_SERVERS: each entry must be host:port; got 'b:99999'"),
    ("CONSOLE_CONNECT_URL", "connect-1:8083", "CONSOLE_CONNECT_URL: must be an http:// or https:// URL"),
    ("CONSOLE_SPARK_MASTER_URL", "spark://m:7077", "CONSOLE_SPARK_MASTER_URL: must be an http:// or https:// URL"),
    ("CONSOLE_HTTP_PORT", "80000", "CONSOLE_HTTP_PORT: must be an integer from 1 to 65535; got '80000'"),
    ("CONSOLE_SECOND_HTTP_PORT", "0", "CONSOLE_SECOND_HTTP_PORT: must be an integer from 1 to 65535; got '0'"),
    ("CONSOLE_SECOND_HTTP_PORT", "8080", "CONSOLE_SECOND_HTTP_PORT: must differ from CONSOLE_HTTP_PORT (8080); got 8080"),
    ("CONSOLE_PIPELINE_TOPIC", "bad topic", "CONSOLE_PIPELINE_TOPIC: not a valid Kafka topic name"),
    ("CONSOLE_ACTIONS_ENABLED", "maybe", "CONSOLE_ACTIONS_ENABLED: must be true or false; got 'maybe'"),
    ("CONSOLE_BACKEND_TIMEOUT_SECONDS", "60", "CONSOLE_BACKEND_TIMEOUT_SECONDS: must be a number of seconds from 0.2 to 30"),
    ("CONSOLE_MAX_MESSAGES", "0", "CONSOLE_MAX_MESSAGES: must be an integer from 1 to 1000"),
    ("CONSOLE_SINK_FILE", "weather.txt", "CONSOLE_SINK_FILE: must be an absolute path"),
    ("CONSOLE_TABLE6_FILE", "t6.json", "CONSOLE_TABLE6_FILE: must be an absolute path"),
    ("CONSOLE_LOG_LEVEL", "loud", "CONSOLE_LOG_LEVEL: must be debug, info, warning or error"),
    ("CONSOLE_KAFKA_BOOTSTRAPSERVERS", "x:1", "CONSOLE_KAFKA_BOOTSTRAPSERVERS: unknown variable"),
])
def test_bad_values_name_their_variable(var, value, expected):
    p = problems({**BASE_ENV, var: value})
    assert any(x.startswith(expected) for x in p), p


def test_a_second_port_serves_the_same_pages():
    cfg = load_config({**BASE_ENV, "CONSOLE_SECOND_HTTP_PORT": "8081"})
    assert (cfg.port, cfg.second_port) == (8080, 8081)


def test_kubernetes_service_links_are_not_ours():
    cfg = load_config({**BASE_ENV, "CONSOLE_PORT": "tcp://10.0.0.1:8080", "CONSOLE_SERVICE_HOST": "10.0.0.1",
                       "CONSOLE_SERVICE_PORT": "8080", "CONSOLE_PORT_8080_TCP_ADDR": "10.0.0.1"})
    assert cfg.port == 8080


def test_mariadb_needs_a_password_file(tmp_path):
    p = problems({**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb"})
    assert any(x.startswith("CONSOLE_MARIADB_PASSWORD_FILE: is required when CONSOLE_MARIADB_HOST is set") for x in p)
    missing = str(tmp_path / "nope")
    p = problems({**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb", "CONSOLE_MARIADB_PASSWORD_FILE": missing})
    assert any(x.startswith(f"CONSOLE_MARIADB_PASSWORD_FILE: cannot read {missing}") for x in p)
    empty = tmp_path / "empty"
    empty.write_text("\n")
    p = problems({**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb", "CONSOLE_MARIADB_PASSWORD_FILE": str(empty)})
    assert p == [f"CONSOLE_MARIADB_PASSWORD_FILE: the file {empty} is empty"]


def test_mariadb_settings_without_host_are_flagged(password_file):
    p = problems({**BASE_ENV, "CONSOLE_MARIADB_PASSWORD_FILE": password_file})
    assert p == ["CONSOLE_MARIADB_PASSWORD_FILE: is set but CONSOLE_MARIADB_HOST is not; set the host too, "
                 "or unset CONSOLE_MARIADB_PASSWORD_FILE"]


def test_mariadb_config(password_file):
    cfg = load_config({**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb", "CONSOLE_MARIADB_PORT": "3307",
                       "CONSOLE_MARIADB_PASSWORD_FILE": password_file, "CONSOLE_MARIADB_TABLE": "obs"})
    assert cfg.mariadb is not None
    assert (cfg.mariadb.address, cfg.mariadb.database, cfg.mariadb.user, cfg.mariadb.table, cfg.mariadb.password) == \
        ("mariadb:3307", "testdb", "crawler", "obs", "db-password")


def test_mariadb_table_must_be_an_identifier(password_file):
    p = problems({**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb", "CONSOLE_MARIADB_PASSWORD_FILE": password_file,
                  "CONSOLE_MARIADB_TABLE": "test`; DROP TABLE x"})
    assert any(x.startswith("CONSOLE_MARIADB_TABLE: must be 1-64 letters, digits, _ or $") for x in p)


def test_actions_need_a_token_file(tmp_path, token_file):
    p = problems({**BASE_ENV, "CONSOLE_ACTIONS_ENABLED": "true"})
    assert p == ["CONSOLE_TOKEN_FILE: is required when CONSOLE_ACTIONS_ENABLED is true "
                 "(the path of a file holding the action token)"]
    short = tmp_path / "short"
    short.write_text("abc")
    p = problems({**BASE_ENV, "CONSOLE_ACTIONS_ENABLED": "true", "CONSOLE_TOKEN_FILE": str(short)})
    assert p == [f"CONSOLE_TOKEN_FILE: the file {short} holds 3 characters; at least 16 are required"]
    cfg = load_config({**BASE_ENV, "CONSOLE_ACTIONS_ENABLED": "yes", "CONSOLE_TOKEN_FILE": token_file})
    assert cfg.actions_enabled and cfg.token == TOKEN


def test_token_file_is_ignored_when_read_only(tmp_path):
    cfg = load_config({**BASE_ENV, "CONSOLE_TOKEN_FILE": str(tmp_path / "not-there")})
    assert cfg.token is None and not cfg.actions_enabled
