"""Read-only mode, the token, and the confirmation step of connector actions."""
from __future__ import annotations

import pytest

from bigdata_console.app import token_matches

from conftest import TOKEN


def test_token_matches():
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN, TOKEN + "x")
    assert not token_matches(TOKEN, TOKEN[:-1])
    assert not token_matches(TOKEN, "")
    assert not token_matches(TOKEN, None)
    assert not token_matches(None, TOKEN)
    assert not token_matches("", "")


@pytest.mark.parametrize("action", ["restart", "pause", "resume"])
def test_read_only_refuses_api_actions_even_with_a_token(make_client, action):
    client, b = make_client()
    r = client.post(f"/api/connectors/web-crawler-test-source/{action}", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 403
    assert "read-only" in r.json()["error"] and "CONSOLE_ACTIONS_ENABLED" in r.json()["error"]
    assert b.connect.actions == []


def test_read_only_refuses_the_form_and_the_confirmation(make_client):
    client, b = make_client()
    r = client.post("/connect/action", data={"connector": "web-crawler-test-source", "action": "pause",
                                             "confirm": "yes", "token": TOKEN})
    assert r.status_code == 403 and "this console is read-only" in r.text
    r = client.get("/connect/confirm", params={"connector": "web-crawler-test-source", "action": "pause"})
    assert r.status_code == 403 and "read-only" in r.text
    page = client.get("/connect").text
    assert "/connect/confirm" not in page and "read-only" in page
    assert b.connect.actions == []


@pytest.fixture
def enabled(make_client, token_file):
    return make_client({"CONSOLE_ACTIONS_ENABLED": "true", "CONSOLE_TOKEN_FILE": token_file})


@pytest.mark.parametrize("headers", [{}, {"X-Console-Token": "wrong-token-0123456789"}, {"Authorization": "Bearer nope"}])
def test_api_action_without_the_right_token_is_refused(enabled, headers):
    client, b = enabled
    r = client.post("/api/connectors/web-crawler-test-source/pause", headers=headers)
    assert r.status_code == 403
    assert r.json()["error"].startswith("missing or wrong token")
    assert b.connect.actions == []


@pytest.mark.parametrize("headers", [{"X-Console-Token": TOKEN}, {"Authorization": f"Bearer {TOKEN}"}])
def test_api_action_with_the_token(enabled, headers):
    client, b = enabled
    r = client.post("/api/connectors/web-crawler-test-source/pause", headers=headers)
    assert r.status_code == 200 and r.json() == {"ok": True, "connector": "web-crawler-test-source", "action": "pause"}
    assert b.connect.actions == [("web-crawler-test-source", "pause")]


def test_api_action_with_the_token_in_a_form_field(enabled):
    client, b = enabled
    r = client.post("/api/connectors/web-crawler-test-source/resume", data={"token": TOKEN})
    assert r.status_code == 200
    assert b.connect.actions == [("web-crawler-test-source", "resume")]


def test_unknown_action_is_not_sent(enabled):
    client, b = enabled
    r = client.post("/api/connectors/x/delete", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 404 and b.connect.actions == []


def test_connect_failure_of_an_action_is_reported(make_client, token_file):
    from fakes import FakeConnect

    client, _ = make_client({"CONSOLE_ACTIONS_ENABLED": "true", "CONSOLE_TOKEN_FILE": token_file},
                            connect=FakeConnect(fail=RuntimeError("Kafka Connect answered 404: Connector x not found")))
    r = client.post("/api/connectors/x/restart", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 502 and "Connector x not found" in r.json()["error"]


def test_form_flow_confirm_then_act(enabled):
    client, b = enabled
    page = client.get("/connect").text
    assert "/connect/confirm?connector=web-crawler-test-source&amp;action=restart" in page
    confirm = client.get("/connect/confirm", params={"connector": "web-crawler-test-source", "action": "restart"})
    assert confirm.status_code == 200
    assert 'name="confirm" value="yes"' in confirm.text and 'type="password" name="token"' in confirm.text
    assert b.connect.actions == []  # showing the confirmation does nothing
    # no confirm=yes: nothing happens
    r = client.post("/connect/action", data={"connector": "web-crawler-test-source", "action": "restart", "token": TOKEN})
    assert r.status_code == 400 and b.connect.actions == []
    # wrong token: refused
    r = client.post("/connect/action", data={"connector": "web-crawler-test-source", "action": "restart",
                                             "confirm": "yes", "token": "wrong"})
    assert r.status_code == 403 and "missing or wrong token" in r.text and b.connect.actions == []
    r = client.post("/connect/action", data={"connector": "web-crawler-test-source", "action": "restart",
                                             "confirm": "yes", "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/connect?message=restart")
    assert b.connect.actions == [("web-crawler-test-source", "restart")]
    assert "restart of connector web-crawler-test-source requested" in client.get(r.headers["location"]).text
