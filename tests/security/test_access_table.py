"""Access control, proven: every route of the URL map, every method, called as each role
and compared with the declared table in access_table.py. A route missing from the table
fails; so does a table entry for a route that no longer exists.

Set ACCESS_TABLE_RECORD=1 to print the observed outcomes (to review by hand, never to
paste blindly)."""

import os
import re

import pytest
from flask import url_for

from modules.certification.models import PENDING, SignoffRequest
from modules.core.extensions import db
from tests.security.access_table import CSRF_EXEMPT, LAST, TABLE
from tests.security.world import ROLES, build_world, write_world_courses

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


def route_keys(app) -> list[tuple[str, str, object]]:
    keys = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & set(METHODS)):
            keys.append((f"{rule.endpoint} {method}", method, rule))
    return keys


def _ordered(keys):
    def rank(item):
        key, method, _rule = item
        endpoint = key.split()[0]
        return (endpoint in LAST, LAST.index(endpoint) if endpoint in LAST else 0,
                method != "GET", key)

    return sorted(keys, key=rank)


def build_url(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        if rule.endpoint == "course_runs.join_with_code" and name == "code":
            args[name] = values["join_code"]
        elif rule.endpoint.startswith("sso.") and name == "name":
            args[name] = "ukjent"
        elif rule.endpoint.startswith(("reports.", "reports_api.")) and name == "code":
            args[name] = values["unit_code"]  # the leader's unit
        else:
            args[name] = values[name]
    return url_for(rule.endpoint, **args)


def outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return "login" if re.search(r"^(https?://[^/]+)?/login", location) else "ok"
    if response.status_code < 300:
        return "ok"
    return {400: "invalid", 403: "forbidden", 404: "notfound",
            405: "method", 409: "conflict"}.get(response.status_code, str(response.status_code))


def _sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def test_every_route_is_in_the_table(app):
    keys = {key for key, _m, _r in route_keys(app)}
    missing = sorted(keys - set(TABLE))
    stale = sorted(set(TABLE) - keys)
    assert not missing, f"routes without an access-table entry: {missing}"
    assert not stale, f"access-table entries without a route: {stale}"
    for key, row in TABLE.items():
        assert len(row) == len(ROLES), key


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_declared(app, client, make_user, role):
    world = build_world(make_user)
    if role != "anonymous":
        _sign_in(client, world.users[role])
    index = ROLES.index(role)
    observed, wrong = {}, []
    for key, method, rule in _ordered(route_keys(app)):
        with app.test_request_context():
            url = build_url(rule, world.values)
        response = client.open(url, method=method, data={})
        db.session.remove()
        observed[key] = outcome(response)
        expected = TABLE.get(key, ("?",) * len(ROLES))[index]
        if observed[key] != expected:
            wrong.append(f"{key} {url}: expected {expected}, got {observed[key]} "
                         f"({response.status_code})")
    pending = db.session.get(SignoffRequest, world.values["request_id"]).status == PENDING
    assert pending == (role not in ("trainer", "admin")), "sign-off decided by " + role
    if os.environ.get("ACCESS_TABLE_RECORD"):
        with open(f"/tmp/access_{role}.txt", "w") as out:
            for key, value in sorted(observed.items()):
                out.write(f"{key}\t{value}\n")
    assert not wrong, "\n".join(wrong)


def test_state_changing_routes_refuse_a_missing_csrf_token(csrf_app, make_user):
    world = build_world(make_user)
    client = csrf_app.test_client()
    _sign_in(client, world.users["admin"])
    checked = 0
    for key, method, rule in route_keys(csrf_app):
        if method == "GET" or key in CSRF_EXEMPT:
            continue
        with csrf_app.test_request_context():
            url = build_url(rule, world.values)
        response = client.open(url, method=method, data={"confirm": "y"})
        db.session.remove()
        assert response.status_code == 400, f"{key} {url} accepted a POST without CSRF token"
        checked += 1
    assert checked >= 20


def test_csrf_exemptions_are_documented():
    for key, reason in CSRF_EXEMPT.items():
        assert key in TABLE and len(reason) > 20, key
