"""Every response carries the strict security headers."""

import pytest

from tests.conftest import login

STATIC_PATHS = ["/", "/login", "/glemt-passord", "/courses", "/courses/proveko",
                "/finnes-ikke", "/healthz", "/static/css/app.css", "/static/favicon.svg",
                "/tilbakestill-passord/ugyldig", "/min-side", "/admin"]
SIGNED_IN_PATHS = ["/min-side", "/courses/proveko/m/forste", "/admin", "/admin/users",
                   "/admin/users/new", "/admin/users/import", "/admin/courses", "/admin/audit"]


def assert_strict_headers(response, label):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, label
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, label
    assert directives["script-src"] == ["'self'"], label
    assert directives["style-src"] == ["'self'"], label
    if " /lti/" in label:
        # LTI pages are framed by registered learning platforms only (none registered here)
        assert directives["frame-ancestors"] == ["'self'"], label
    else:
        assert directives["frame-ancestors"] == ["'none'"], label
    assert directives["object-src"] == ["'none'"], label
    assert directives["base-uri"] == ["'none'"], label
    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer",
                                               "strict-origin-when-cross-origin"), label


def _argless_get_routes(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments)


def test_every_argument_free_page_carries_the_headers(app, client, make_user, synced):
    paths = sorted(set(STATIC_PATHS) | set(_argless_get_routes(app)))
    for path in paths:
        assert_strict_headers(client.get(path), f"anonymous {path}")
    login(client, make_user(role="admin"))
    for path in paths + SIGNED_IN_PATHS:
        assert_strict_headers(client.get(path), f"admin {path}")


@pytest.mark.parametrize("method,path", [("post", "/login"), ("post", "/logout"),
                                         ("post", "/glemt-passord"), ("put", "/courses")])
def test_errors_redirects_and_refused_forms_carry_the_headers(csrf_app, method, path):
    response = getattr(csrf_app.test_client(), method)(path, data={"email": "a@example.com"})
    assert response.status_code in (302, 400, 405)
    assert_strict_headers(response, f"{method} {path}")


def test_too_many_attempts_page_carries_the_headers(app_config):
    from app import create_app

    client = create_app({**app_config, "LOGIN_FREE_FAILURES_PER_ADDRESS": 0}).test_client()
    client.post("/login", data={"email": "a@example.com", "password": "x"})
    response = client.post("/login", data={"email": "b@example.com", "password": "x"})
    assert response.status_code == 429
    assert_strict_headers(response, "429")
