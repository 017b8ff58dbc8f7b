"""python -m bigdata_console: validate the configuration, then serve (uvicorn, one process)."""
from __future__ import annotations

import logging
import socket
import sys

from .config import ConfigError, load_config


def main() -> int:
    try:
        cfg = load_config()
    except ConfigError as e:
        print(f"bigdata-console: {e}", file=sys.stderr, flush=True)
        return 2
    logging.basicConfig(level=cfg.log_level.upper(), stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per backend request
    import uvicorn

    from . import __version__
    from .app import create_app

    log = logging.getLogger("bigdata_console")
    log.info("bigdata-console %s on port %s: Kafka %s, Connect %s, Spark %s, MariaDB %s, sink file %s, "
             "Table 6 %s, actions %s", __version__,
             cfg.port if cfg.second_port is None else f"{cfg.port} and {cfg.second_port}", cfg.kafka_bootstrap_servers, cfg.connect_url,
             cfg.spark_master_url or "-", cfg.mariadb.address if cfg.mariadb else "-", cfg.sink_file or "-",
             cfg.table6_file or "-", "enabled (token)" if cfg.actions_enabled else "disabled (read-only)")
    ports = [cfg.port] if cfg.second_port is None else [cfg.port, cfg.second_port]
    server = uvicorn.Server(uvicorn.Config(create_app(cfg), log_level=cfg.log_level, access_log=False,
                                           server_header=False, timeout_graceful_shutdown=5))
    # One process, one app, every port: the platform publishes the topics and the Connect port as two container ports,
    # since Docker does not keep the order of two host bindings of one container port (a diff at every preview).
    server.run(sockets=[_listening_socket(p) for p in ports])
    return 0


def _listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", port))
    sock.set_inheritable(True)
    return sock


if __name__ == "__main__":
    sys.exit(main())
