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


# --- trust: the pages of quizzes, course runs, certification, outbox and privacy --------

def _ids(site) -> dict:
    from .trust_data import demo_run, trainer_certificate

    trainer_certificate(site)
    return demo_run(site)


def _attempt(site) -> str:
    from .trust_data import quiz_attempt

    return f"/quiz/attempts/{quiz_attempt(site)}"


def _certificate(site):
    from .trust_data import participant_certificate

    return participant_certificate(site)


def _signoff(site) -> None:
    from .trust_data import pending_signoff

    pending_signoff(site, "deltaker2@example.com")


def _quiz_history(site) -> str:
    from .trust_data import quiz_attempt

    quiz_attempt(site)
    return f"/courses/{COURSE}/m/{site.first_module_key(COURSE)}/quiz"


PAGES += [
    PageSpec("privacy", "/personvern"),
    PageSpec("accessibility", "/tilgjengelighet"),
    PageSpec("verify-form", "/verify"),
    PageSpec("verify", lambda site: f"/verify/{_certificate(site).code}"),
    PageSpec("verify-unknown", "/verify/finnes-ikke", status=404),
    PageSpec("quiz-history", _quiz_history, role="participant"),
    PageSpec("quiz-attempt", _attempt, role="participant"),
    PageSpec("join", "/bli-med", role="participant"),
    PageSpec("join-code", lambda site: f"/bli-med/{_ids(site)['code']}", role="participant"),
    PageSpec("my-page-trust", "/min-side", role="participant",
             prepare=lambda site: (_ids(site), _certificate(site))),
    PageSpec("runs", "/kursgjennomforinger", role="trainer", prepare=_ids),
    PageSpec("run-new", "/kursgjennomforinger/ny", role="trainer"),
    PageSpec("run", lambda site: f"/kursgjennomforinger/{_ids(site)['run']}", role="trainer"),
    PageSpec("run-edit", lambda site: f"/kursgjennomforinger/{_ids(site)['run']}/endre",
             role="trainer"),
    PageSpec("run-matrix",
             lambda site: f"/kursgjennomforinger/{_ids(site)['run']}/deltakeroversikt",
             role="trainer"),
    PageSpec("run-attendance", lambda site: (
        f"/kursgjennomforinger/{_ids(site)['run']}/samlinger/{_ids(site)['session']}/oppmote"),
        role="trainer"),
    PageSpec("run-evaluation",
             lambda site: f"/kursgjennomforinger/{_ids(site)['run']}/evaluering",
             role="trainer"),
    PageSpec("practice-review",
             lambda site: f"/praksis/innlevering/{_ids(site)['submission']}/vurder",
             role="trainer"),
    PageSpec("run-close-confirm",
             lambda site: f"/kursgjennomforinger/{_ids(site)['run']}/avslutt", role="trainer"),
    PageSpec("session-delete-confirm", lambda site: (
        f"/kursgjennomforinger/{_ids(site)['run']}/samlinger/{_ids(site)['session']}/slett"),
        role="trainer"),
    PageSpec("leave-confirm",
             lambda site: f"/mine-kursgjennomforinger/{_ids(site)['run']}/forlat",
             role="participant"),
    PageSpec("evaluation-not-yet",
             lambda site: f"/mine-kursgjennomforinger/{_ids(site)['run']}/evaluering",
             role="participant"),
    PageSpec("signoffs", "/certification/signoffs", role="trainer",
             prepare=lambda site: (_ids(site), _signoff(site))),
    PageSpec("trainer-lineage",
             lambda site: f"/certification/trainers/{site.user_id('kursholder@example.com')}",
             role="trainer", prepare=_ids),
    PageSpec("cascade", "/certification/cascade", role="leader"),
    PageSpec("admin-registry", "/admin/certificates", role="admin",
             prepare=lambda site: _certificate(site)),
    PageSpec("admin-certificate",
             lambda site: f"/admin/certificates/{_certificate(site).id}", role="admin"),
    PageSpec("admin-outbox", "/admin/outbox", role="admin"),
    PageSpec("admin-anonymise",
             lambda site: f"/admin/users/{site.user_id('deltaker2@example.com')}/anonymise",
             role="admin"),
]


# --- reports (styringsoversikt): they must reflow at 320 px too (issue 17, row 15) -------

def _leader_unit(site) -> str:
    from modules.accounts import services
    from modules.accounts.models import Unit
    from modules.core.extensions import db

    with site.app.app_context():
        leader = services.get_user_by_email("leder@example.com")
        return db.session.get(Unit, leader.unit_id).code


def _items(site) -> str:
    from .trust_data import item_analysis

    course_id, module_id = item_analysis(site)
    return f"/reports/items?course={course_id}&module={module_id}"


PAGES += [
    PageSpec("reports-national", "/reports", role="admin"),
    PageSpec("reports-unit", lambda site: f"/reports/units/{_leader_unit(site)}",
             role="leader"),
    PageSpec("reports-items", _items, role="admin"),
    PageSpec("reports-evaluations", "/reports/evaluations", role="leader"),
    PageSpec("reports-api-tokens", "/reports/api-tokens", role="admin"),
]
