"""Huge numbers in URLs and query strings answer 404 or 400, never 500: every integer
converter of the URL map and every integer query parameter (issue 17, row 9)."""

import re
from pathlib import Path

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from modules.core.extensions import db
from modules.core.ints import MAX_INT, BoundedIntConverter
from tests.security.test_access_table import METHODS, _sign_in, build_url
from tests.security.world import build_world, write_world_courses

HUGE = "99999999999999999999999"
ROOT = Path(__file__).resolve().parents[2]

#: Every integer query parameter a page reads (through ``query_int``), with its route.
QUERY_INTS = {
    ("accounts.list_users", "page"), ("accounts.list_users", "unit"),
    ("audit.list_events", "page"), ("audit.list_events", "actor"),
    ("certification.list_registry", "page"),
    ("outbox.list_messages", "page"),
    ("reports.show_items", "course"), ("reports.show_items", "module"),
}


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        names = [name for name, conv in rule._converters.items()
                 if isinstance(conv, IntegerConverter)]
        if names:
            yield rule, names


def test_every_integer_converter_is_bounded(app):
    rules = list(_int_rules(app))
    assert len(rules) >= 20
    for rule, names in rules:
        for name in names:
            converter = rule._converters[name]
            assert isinstance(converter, BoundedIntConverter), rule.rule
            assert converter.max is not None and converter.max <= MAX_INT, rule.rule


def test_huge_ids_in_every_url_answer_404(app, client, make_user):
    """Every method of every rule with an integer in its path. A POST to a path whose GET
    rule exists too may answer 405 (the router's word), as long as the GET answers 404."""
    world = build_world(make_user)
    _sign_in(client, world.users["admin"])
    wrong, checked = [], 0
    for rule, names in _int_rules(app):
        for name in names:
            with app.test_request_context():
                url = build_url(rule, world.values)
            assert f"/{world.values[name]}" in url, (rule.rule, name)
            for number in (HUGE, str(MAX_INT + 1)):
                huge_url = url.replace(f"/{world.values[name]}", f"/{number}", 1)
                for method in sorted(rule.methods & set(METHODS)):
                    response = client.open(huge_url, method=method, data={})
                    db.session.remove()
                    checked += 1
                    status = response.status_code
                    if status == 405:
                        status = client.get(huge_url).status_code
                        db.session.remove()
                    if status != 404:
                        wrong.append(f"{method} {huge_url}: {response.status_code}")
    assert checked >= 40
    assert not wrong, "\n".join(wrong)


def test_huge_integer_query_parameters_answer_400(app, client, make_user):
    world = build_world(make_user)
    _sign_in(client, world.users["admin"])
    wrong = []
    for endpoint, name in sorted(QUERY_INTS):
        with app.test_request_context():
            base = url_for(endpoint)
        for value, expected in ((HUGE, 400), (f"-{HUGE}", 400), (str(MAX_INT + 1), 400),
                                ("tre", 200), ("2", 200)):
            response = client.get(base, query_string={name: value})
            db.session.remove()
            if response.status_code != expected:
                wrong.append(f"{base}?{name}={value}: {response.status_code}, "
                             f"expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_every_integer_query_parameter_goes_through_query_int():
    """No page reads an integer query parameter past the bounded parser, and the table
    above lists every one it reads."""
    found = set()
    for path in (ROOT / "modules").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"request\.args\.get\([^)]*type=int", source), path
        found.update(re.findall(r'query_int\("(\w+)"', source))
    assert found == {name for _endpoint, name in QUERY_INTS}
