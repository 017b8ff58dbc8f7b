"""The console's web application: HTML pages and a JSON API over the platform's backends.

Every backend call runs in a worker thread under a deadline (``_guard``): when Kafka, Connect, Spark, MariaDB or
the files are missing, slow or down, the page still renders and names what is unreachable, at which address, with
the error. Actions (connector restart/pause/resume) are refused unless enabled, and then need the token.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from . import __version__, table6
from .backends import ACTIONS, ConnectBackend, KafkaBackend, MariaDbBackend, SinkFile, SparkBackend
from .config import Config

log = logging.getLogger("bigdata_console")
HERE = os.path.dirname(os.path.abspath(__file__))
TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
TOKEN_HEADER = "X-Console-Token"
READ_ONLY_MESSAGE = ("actions are disabled: this console is read-only (set CONSOLE_ACTIONS_ENABLED=true and "
                     "CONSOLE_TOKEN_FILE to allow connector restart, pause and resume)")
BAD_TOKEN_MESSAGE = f"missing or wrong token: give the console's action token in the form field 'token' or the {TOKEN_HEADER} header"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class Backends:
    kafka: Any
    connect: Any
    spark: Any | None = None
    mariadb: Any | None = None
    sink: Any | None = None
    chart: Any = field(default_factory=table6.ChartRenderer)


def real_backends(cfg: Config) -> Backends:
    t = cfg.backend_timeout
    return Backends(
        kafka=KafkaBackend(cfg.kafka_bootstrap_servers, t),
        connect=ConnectBackend(cfg.connect_url, t),
        spark=SparkBackend(cfg.spark_master_url, t) if cfg.spark_master_url else None,
        mariadb=MariaDbBackend(cfg.mariadb, t) if cfg.mariadb else None,
        sink=SinkFile(cfg.sink_file, t) if cfg.sink_file else None,
    )


def describe_error(e: BaseException) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def pipeline_counts(rows: int | None, records: int | None, lines: int | None) -> dict[str, Any]:
    """The overview's arithmetic: MariaDB rows vs topic records vs sink lines, and their differences.

    A difference is None when either side is unknown; in_sync is True only when every known count agrees (at least
    two known). A topic whose retention deleted records counts fewer than the table holds (begin offset > 0).
    """
    known = [c for c in (rows, records, lines) if c is not None]
    return {
        "mariadb_rows": rows,
        "topic_records": records,
        "sink_lines": lines,
        "topic_minus_rows": records - rows if records is not None and rows is not None else None,
        "sink_minus_topic": lines - records if lines is not None and records is not None else None,
        "sink_minus_rows": lines - rows if lines is not None and rows is not None else None,
        "in_sync": (len(set(known)) == 1) if len(known) >= 2 else None,
    }


def token_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison (of SHA-256 digests, so the length is not revealed either)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def create_app(cfg: Config, backends: Backends | None = None) -> FastAPI:
    b = backends or real_backends(cfg)
    executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="backend")
    budget = cfg.backend_timeout * 2 + 1  # a call's own timeouts end it first; this is the safety net
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["qs"] = lambda d: urlencode(d)
    env.filters["utc"] = lambda ms: datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds")
    env.globals.update(version=__version__, actions_enabled=cfg.actions_enabled, pipeline_topic=cfg.pipeline_topic,
                       max_messages=cfg.max_messages)
    app = FastAPI(title="bigdata-console", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    health_cache: dict[str, Any] = {}

    async def _guard(backend: Any, name: str, method: Callable[..., Any], *args: Any) -> dict[str, Any]:
        """{"ok": True, "data": ...} or {"ok": False, "backend", "address", "error"}; never raises, never hangs."""
        loop = asyncio.get_running_loop()
        t0 = time.monotonic()
        try:
            data = await asyncio.wait_for(loop.run_in_executor(executor, method, *args), budget)
            return {"ok": True, "backend": name, "address": backend.address, "data": data,
                    "seconds": round(time.monotonic() - t0, 3)}
        except asyncio.TimeoutError:
            error = f"no answer within {budget:g} s"
        except Exception as e:  # every failure of a backend is shown, none is raised
            error = describe_error(e)
        log.info("%s at %s: %s", name, backend.address, error)
        return {"ok": False, "backend": name, "address": backend.address, "error": error,
                "seconds": round(time.monotonic() - t0, 3)}

    def not_configured(name: str, variable: str) -> dict[str, Any]:
        return {"ok": False, "configured": False, "backend": name, "address": None,
                "error": f"not configured ({variable} is not set)"}

    def html(template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(**ctx), status_code=status, headers=SECURITY_HEADERS)

    def js(data: Any, status: int = 200) -> JSONResponse:
        return JSONResponse(data, status_code=status, headers=SECURITY_HEADERS)

    def unreachable(*sections: dict[str, Any]) -> list[dict[str, Any]]:
        return [s for s in sections if not s["ok"] and s.get("configured", True)]

    # ---------------------------------------------------------------------------------------------------------
    # data
    # ---------------------------------------------------------------------------------------------------------
    async def topics_data() -> dict[str, Any]:
        section = await _guard(b.kafka, "Kafka", b.kafka.cluster)
        return {"kafka": section, "unreachable": unreachable(section)}

    def clamp_n(raw: str | None) -> tuple[int, str | None]:
        try:
            n = int(raw) if raw is not None else 10
        except ValueError:
            return 10, f"n={raw!r} is not a number; showing 10"
        if n < 1:
            return 1, "n is at least 1"
        if n > cfg.max_messages:
            return cfg.max_messages, f"n is capped at {cfg.max_messages} (CONSOLE_MAX_MESSAGES)"
        return n, None

    async def messages_data(topic: str, raw_n: str | None) -> dict[str, Any]:
        n, note = clamp_n(raw_n)
        section = await _guard(b.kafka, "Kafka", b.kafka.messages, topic, n)
        return {"topic": topic, "n": n, "note": note, "kafka": section, "unreachable": unreachable(section)}

    async def connectors_data() -> dict[str, Any]:
        connect = await _guard(b.connect, "Kafka Connect", b.connect.connectors)
        return {"connect": connect, "unreachable": unreachable(connect)}

    def table6_data() -> dict[str, Any]:
        if not cfg.table6_file:
            return {"configured": False, "rows": None, "error": None, "path": None}
        try:
            rows = table6.load(cfg.table6_file)
        except (table6.Table6Error, OSError) as e:
            return {"configured": True, "rows": None, "path": cfg.table6_file,
                    "error": f"{cfg.table6_file}: {describe_error(e)}"}
        return {"configured": True, "rows": rows, "path": cfg.table6_file, "error": None,
                "speedups": table6.speedups(rows) if rows else []}

    async def overview_data() -> dict[str, Any]:
        async def none(name: str, var: str) -> dict[str, Any]:
            return not_configured(name, var)

        mariadb, kafka, sink, connect, spark = await asyncio.gather(
            _guard(b.mariadb, "MariaDB", b.mariadb.row_count) if b.mariadb else none("MariaDB", "CONSOLE_MARIADB_HOST"),
            _guard(b.kafka, "Kafka", b.kafka.topic_records, cfg.pipeline_topic),
            _guard(b.sink, "sink file", b.sink.line_count) if b.sink else none("sink file", "CONSOLE_SINK_FILE"),
            _guard(b.connect, "Kafka Connect", b.connect.connectors),
            _guard(b.spark, "Spark master", b.spark.summary) if b.spark else none("Spark master", "CONSOLE_SPARK_MASTER_URL"),
        )
        counts = pipeline_counts(mariadb["data"]["rows"] if mariadb["ok"] else None,
                                 kafka["data"]["records"] if kafka["ok"] else None,
                                 sink["data"]["lines"] if sink["ok"] else None)
        return {"pipeline": {"topic": cfg.pipeline_topic, **counts}, "mariadb": mariadb, "kafka": kafka, "sink": sink,
                "connect": connect, "spark": spark, "table6": table6_data(),
                "unreachable": unreachable(mariadb, kafka, sink, connect, spark)}

    # ---------------------------------------------------------------------------------------------------------
    # actions
    # ---------------------------------------------------------------------------------------------------------
    async def form_fields(request: Request) -> dict[str, str]:
        body = (await request.body())[:65536].decode("utf-8", errors="replace")
        ctype = request.headers.get("content-type", "")
        if ctype and not ctype.startswith("application/x-www-form-urlencoded"):
            return {}
        return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}

    def refuse(given_token: str | None) -> str | None:
        """Why an action is refused (403), or None to go ahead."""
        if not cfg.actions_enabled:
            return READ_ONLY_MESSAGE
        if not token_matches(cfg.token, given_token):
            return BAD_TOKEN_MESSAGE
        return None

    async def perform(connector: str, action: str, client: str) -> dict[str, Any]:
        section = await _guard(b.connect, "Kafka Connect", b.connect.action, connector, action)
        if section["ok"]:
            log.warning("action %s of connector %r done (client %s)", action, connector, client)
        else:
            log.warning("action %s of connector %r failed (client %s): %s", action, connector, client, section["error"])
        return section

    # ---------------------------------------------------------------------------------------------------------
    # HTML pages
    # ---------------------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    @app.get("/overview", response_class=HTMLResponse)
    async def overview_page() -> HTMLResponse:
        return html("overview.html", page="overview", **await overview_data())

    @app.get("/topics", response_class=HTMLResponse)
    async def topics_page() -> HTMLResponse:
        return html("topics.html", page="topics", **await topics_data())

    @app.get("/topics/{topic}", response_class=HTMLResponse)
    async def topic_page(topic: str, n: str | None = None) -> HTMLResponse:
        if not TOPIC_NAME.match(topic):
            return html("error.html", 404, page="topics", title="No such topic",
                        message=f"{topic!r} is not a Kafka topic name")
        return html("topic.html", page="topics", **await messages_data(topic, n))

    @app.get("/connect", response_class=HTMLResponse)
    async def connect_page(message: str | None = None, error: str | None = None) -> HTMLResponse:
        return html("connect.html", page="connect", flash=message, flash_error=error, **await connectors_data())

    @app.get("/connect/confirm", response_class=HTMLResponse)
    async def confirm_page(connector: str = "", action: str = "") -> HTMLResponse:
        if not cfg.actions_enabled:
            return html("error.html", 403, page="connect", title="Read-only", message=READ_ONLY_MESSAGE)
        if action not in ACTIONS or not connector:
            return html("error.html", 400, page="connect", title="Bad request",
                        message=f"action must be one of {', '.join(ACTIONS)} and a connector must be named")
        return html("confirm.html", page="connect", connector=connector, action=action)

    @app.post("/connect/action", response_class=HTMLResponse)
    async def action_form(request: Request) -> Response:
        f = await form_fields(request)
        connector, action = f.get("connector", ""), f.get("action", "")
        why = refuse(f.get("token") or request.headers.get(TOKEN_HEADER))
        if why:
            log.warning("refused action %r of connector %r from %s: %s", action, connector,
                        request.client.host if request.client else "?", why)
            return html("error.html", 403, page="connect", title="Refused", message=why)
        if action not in ACTIONS or not connector or f.get("confirm") != "yes":
            return html("error.html", 400, page="connect", title="Bad request",
                        message="an action needs a connector, one of " + ", ".join(ACTIONS) + " and confirm=yes")
        section = await perform(connector, action, request.client.host if request.client else "?")
        if section["ok"]:
            q = {"message": f"{action} of connector {connector} requested"}
        else:
            q = {"error": f"{action} of connector {connector} failed: {section['error']}"}
        return RedirectResponse("/connect?" + urlencode(q), status_code=303, headers=SECURITY_HEADERS)

    @app.get("/chart/table6.svg")
    async def table6_svg() -> Response:
        t6 = table6_data()
        if not t6["rows"]:
            return Response(t6["error"] or "no Table 6 rows", status_code=404, media_type="text/plain",
                            headers=SECURITY_HEADERS)
        loop = asyncio.get_running_loop()
        try:
            svg = await loop.run_in_executor(executor, b.chart.svg, t6["rows"])
        except Exception as e:
            return Response(describe_error(e), status_code=500, media_type="text/plain", headers=SECURITY_HEADERS)
        return Response(svg, media_type="image/svg+xml", headers=SECURITY_HEADERS)

    @app.get("/static/console.css")
    async def css() -> Response:
        with open(os.path.join(HERE, "static", "console.css"), encoding="utf-8") as fh:
            return Response(fh.read(), media_type="text/css", headers={**SECURITY_HEADERS, "Cache-Control": "max-age=300"})

    # ---------------------------------------------------------------------------------------------------------
    # JSON API
    # ---------------------------------------------------------------------------------------------------------
    @app.get("/health")
    async def health(backends: str = "1") -> JSONResponse:
        out: dict[str, Any] = {"status": "ok", "version": __version__, "actions_enabled": cfg.actions_enabled}
        if backends in ("0", "false", "no"):
            return js(out)
        cached = health_cache.get("value")
        if cached is None or time.monotonic() - health_cache["at"] > 5:
            probes: list[tuple[str, Any]] = [("kafka", b.kafka), ("connect", b.connect), ("spark", b.spark),
                                             ("mariadb", b.mariadb), ("sink_file", b.sink)]
            present = [(k, x) for k, x in probes if x is not None]
            results = await asyncio.gather(*(_guard(x, x.name, x.probe) for _, x in present))
            cached = {k: {"reachable": r["ok"], "address": r["address"], **({} if r["ok"] else {"error": r["error"]})}
                      for (k, _), r in zip(present, results)}
            cached.update({k: {"configured": False} for k, x in probes if x is None})
            health_cache.update(value=cached, at=time.monotonic())
        out["backends"] = cached
        return js(out)

    @app.get("/api/overview")
    async def api_overview() -> JSONResponse:
        return js(await overview_data())

    @app.get("/api/topics")
    async def api_topics() -> JSONResponse:
        return js(await topics_data())

    @app.get("/api/topics/{topic}/messages")
    async def api_messages(topic: str, n: str | None = None) -> JSONResponse:
        if not TOPIC_NAME.match(topic):
            return js({"error": f"{topic!r} is not a Kafka topic name"}, 404)
        return js(await messages_data(topic, n))

    @app.get("/api/connectors")
    async def api_connectors() -> JSONResponse:
        return js(await connectors_data())

    @app.get("/api/table6")
    async def api_table6() -> JSONResponse:
        return js(table6_data())

    @app.post("/api/connectors/{connector}/{action}")
    async def api_action(connector: str, action: str, request: Request) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        given = request.headers.get(TOKEN_HEADER) or (auth[7:] if auth.lower().startswith("bearer ") else None)
        if given is None:
            given = (await form_fields(request)).get("token")
        why = refuse(given)
        if why:
            log.warning("refused action %r of connector %r from %s: %s", action, connector,
                        request.client.host if request.client else "?", why)
            return js({"ok": False, "error": why}, 403)
        if action not in ACTIONS:
            return js({"ok": False, "error": f"action must be one of {', '.join(ACTIONS)}"}, 404)
        section = await perform(connector, action, request.client.host if request.client else "?")
        if not section["ok"]:
            return js({"ok": False, "connector": connector, "action": action, "error": section["error"]}, 502)
        return js({"ok": True, "connector": connector, "action": action})

    return app
