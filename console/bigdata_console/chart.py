"""Renders a Vega-Lite spec (JSON on stdin, its data inline) to SVG on stdout with vl-convert.

Run as a child process by table6.ChartRenderer, so the JavaScript engine vl-convert starts (about 65 MB) is freed
when the rendering ends instead of staying in the server. No external data is fetched (allowed_base_urls=[]).
"""
from __future__ import annotations

import json
import sys


def render(spec: dict) -> str:
    import vl_convert

    from .table6 import VEGA_LITE_VERSION

    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])


def main() -> int:
    spec = json.load(sys.stdin)
    sys.stdout.write(render(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
