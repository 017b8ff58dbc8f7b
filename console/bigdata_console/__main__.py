"""python -m bigdata_console: validate the configuration, then serve (uvicorn, one process)."""
from __future__ import annotations

import logging
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
    log.info("bigdata-console %s on port %d: Kafka %s, Connect %s, Spark %s, MariaDB %s, sink file %s, "
             "Table 6 %s, actions %s", __version__, cfg.port, cfg.kafka_bootstrap_servers, cfg.connect_url,
             cfg.spark_master_url or "-", cfg.mariadb.address if cfg.mariadb else "-", cfg.sink_file or "-",
             cfg.table6_file or "-", "enabled (token)" if cfg.actions_enabled else "disabled (read-only)")
    uvicorn.run(create_app(cfg), host="0.0.0.0", port=cfg.port, log_level=cfg.log_level, access_log=False,
                server_header=False, timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
