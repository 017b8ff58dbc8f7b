"""Container health check: exit 0 when the console answers /health on its port, else 1.

    python -m bigdata_console.healthcheck          (HEALTHCHECK in the Dockerfile; the image has no curl)

It asks with backends=0: the console is healthy when its process serves, whatever the backends do (their state
is in /health's JSON and on the pages).
"""
from __future__ import annotations

import http.client
import os
import sys


def main() -> int:
    port = int(os.environ.get("CONSOLE_HTTP_PORT") or 8080)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
        conn.request("GET", "/health?backends=0")
        status = conn.getresponse().status
    except OSError as e:
        print(f"healthcheck: 127.0.0.1:{port}: {e}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: /health answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
