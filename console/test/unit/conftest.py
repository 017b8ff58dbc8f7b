from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Callable

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from bigdata_console.app import Backends, create_app  # noqa: E402
from bigdata_console.config import load_config  # noqa: E402
from fakes import FakeChart, FakeConnect, FakeKafka, FakeMariaDb, FakeSink, FakeSpark  # noqa: E402

TOKEN = "s3cret-token-0123456789"


@pytest.fixture
def token_file(tmp_path) -> str:
    p = tmp_path / "token"
    p.write_text(TOKEN + "\n")
    return str(p)


@pytest.fixture
def password_file(tmp_path) -> str:
    p = tmp_path / "password"
    p.write_text("db-password\n")
    return str(p)


BASE_ENV = {
    "CONSOLE_KAFKA_BOOTSTRAP_SERVERS": "kafka-1:9092",
    "CONSOLE_CONNECT_URL": "http://connect-1:8083",
    "CONSOLE_SPARK_MASTER_URL": "http://spark-master:8080",
    "CONSOLE_BACKEND_TIMEOUT_SECONDS": "0.3",
    "CONSOLE_MAX_MESSAGES": "20",
}


@pytest.fixture
def make_client(tmp_path, password_file) -> Callable[..., Any]:
    """make_client(env overrides, kafka=..., connect=..., ...) -> (TestClient, Backends) over fakes."""

    def make(env: dict[str, str] | None = None, **fakes: Any):
        e = {**BASE_ENV, "CONSOLE_MARIADB_HOST": "mariadb", "CONSOLE_MARIADB_PASSWORD_FILE": password_file,
             "CONSOLE_SINK_FILE": "/var/lib/connect-sink/weather.txt", **(env or {})}
        e = {k: v for k, v in e.items() if v is not None}
        cfg = load_config(e)
        # like real_backends: no backend for what the configuration leaves out
        b = Backends(kafka=fakes.get("kafka") or FakeKafka(), connect=fakes.get("connect") or FakeConnect(),
                     spark=fakes.get("spark") or (FakeSpark() if cfg.spark_master_url else None),
                     mariadb=fakes.get("mariadb") or (FakeMariaDb() if cfg.mariadb else None),
                     sink=fakes.get("sink") or (FakeSink() if cfg.sink_file else None),
                     chart=fakes.get("chart") or FakeChart())
        return TestClient(create_app(cfg, b)), b

    return make
