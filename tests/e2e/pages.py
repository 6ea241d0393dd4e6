"""Every page the browser checks (axe, reflow, h1, landmarks, focus, screenshots).

Features add their pages by appending a PageSpec to PAGES; ``path`` may be a
function of the Site (for ids), and ``prepare`` arranges data before the visit.
"""

from collections.abc import Callable
from dataclasses import dataclass

COURSE = "innbyggerinvolvering"


@dataclass(frozen=True)
class PageSpec:
    name: str  # also the screenshot file name
    path: str | Callable[..., str]
    role: str | None = None  # a demo account's role, None for anonymous
    status: int = 200
    prepare: Callable[..., None] | None = None  # prepare(site) before the visit

    def resolve(self, site) -> str:
        return self.path(site) if callable(self.path) else self.path


def _enrol_demo(site) -> None:
    site.enrol("deltaker@example.com", COURSE)


def _reset_path(site) -> str:
    from modules.accounts import services, tokens

    with site.app.test_request_context():
        user = services.get_user_by_email("deltaker2@example.com")
        return f"/tilbakestill-passord/{tokens.make_reset_token(user)}"


PAGES: list[PageSpec] = [
    PageSpec("login", "/login"),
    PageSpec("forgot-password", "/glemt-passord"),
    PageSpec("reset-password", _reset_path),
    PageSpec("catalog-anonymous", "/courses"),
    PageSpec("course-anonymous", f"/courses/{COURSE}"),
    PageSpec("not-found", "/finnes-ikke", status=404),
    PageSpec("catalog", "/courses", role="participant", prepare=_enrol_demo),
    PageSpec("course", f"/courses/{COURSE}", role="participant", prepare=_enrol_demo),
    PageSpec("module", lambda site: f"/courses/{COURSE}/m/{site.first_module_key(COURSE)}",
             role="participant", prepare=_enrol_demo),
    PageSpec("my-page", "/min-side", role="participant", prepare=_enrol_demo),
    PageSpec("forbidden", "/admin", role="participant", status=403),
    PageSpec("admin", "/admin", role="admin"),
    PageSpec("admin-users", "/admin/users", role="admin"),
    PageSpec("admin-user-new", "/admin/users/new", role="admin"),
    PageSpec("admin-user-edit",
             lambda site: f"/admin/users/{site.user_id('deltaker@example.com')}", role="admin"),
    PageSpec("admin-users-import", "/admin/users/import", role="admin"),
    PageSpec("admin-courses", "/admin/courses", role="admin"),
    PageSpec("admin-audit", "/admin/audit", role="admin"),
]
