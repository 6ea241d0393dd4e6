"""The declared access table: for every route and method, the outcome per role.

Columns (ROLES in tests/security/world.py): anonymous, participant, another participant,
trainer, another trainer, leader, admin. The objects in URLs are the participant's
(attempt, submission, certificate, enrolment) and the trainer's (course run, session), so
"another participant" and "another trainer" are tested against objects that are not theirs.

Outcomes: OK (2xx, or a redirect that is not to the login page: a refused action that
flashes a message also answers OK, so the test additionally checks the world's state),
LOGIN (redirect to the login page), NO (403), GONE (404), BAD (400: past the access
check, but the empty form is refused), CONFLICT (409: autosave without a revision).

Public by design: the catalogue, course pages, verification of a certificate, Open Badges
JSON/SVG (the recipient's e-mail is only present salted and hashed), health check.
"""

OK, LOGIN, NO, GONE, BAD, CONFLICT = "ok", "login", "forbidden", "notfound", "invalid", "conflict"

TABLE = {
    "accounts.create_user GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.create_user POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.edit_user GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.edit_user POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.forgot_password GET": (OK, OK, OK, OK, OK, OK, OK),
    "accounts.forgot_password POST": (OK, OK, OK, OK, OK, OK, OK),
    "accounts.import_users GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.import_users POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.list_users GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "accounts.login GET": (OK, OK, OK, OK, OK, OK, OK),
    "accounts.login POST": (OK, OK, OK, OK, OK, OK, OK),
    "accounts.logout POST": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "accounts.reset_password GET": (BAD, BAD, BAD, BAD, BAD, BAD, BAD),
    "accounts.reset_password POST": (BAD, BAD, BAD, BAD, BAD, BAD, BAD),
    "audit.list_events GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "catalog.admin_courses GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "catalog.download_file GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "catalog.sync_courses POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "certification.badge_assertion GET": (OK, OK, OK, OK, OK, OK, OK),
    "certification.badge_class GET": (OK, OK, OK, OK, OK, OK, OK),
    "certification.badge_image GET": (OK, OK, OK, OK, OK, OK, OK),
    "certification.badge_issuer GET": (OK, OK, OK, OK, OK, OK, OK),
    "certification.download_pdf GET": (LOGIN, OK, GONE, GONE, GONE, GONE, OK),
    "certification.export_registry GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "certification.list_registry GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "certification.list_signoffs GET": (LOGIN, NO, NO, OK, OK, NO, OK),
    "certification.show_cascade GET": (LOGIN, NO, NO, NO, NO, OK, OK),
    "certification.show_certificate GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "certification.show_certificate POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "certification.show_trainer GET": (LOGIN, OK, NO, OK, OK, OK, OK),
    "certification.sign_off POST": (LOGIN, NO, NO, OK, OK, NO, OK),
    "certification.start_renewal POST": (LOGIN, OK, GONE, GONE, GONE, GONE, BAD),
    "certification.verify GET": (OK, OK, OK, OK, OK, OK, OK),
    "certification.verify_form GET": (OK, OK, OK, OK, OK, OK, OK),
    "core.admin_index GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "core.healthz GET": (OK, OK, OK, OK, OK, OK, OK),
    "core.index GET": (OK, OK, OK, OK, OK, OK, OK),
    "course_runs.accept_invitation GET": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "course_runs.accept_invitation POST": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "course_runs.add_session POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.delete_session POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.download_practice_file GET": (LOGIN, OK, GONE, OK, GONE, GONE, OK),
    "course_runs.edit_run GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.edit_run POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.enrol_csv POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.enrol_emails POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.evaluate GET": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE),
    "course_runs.evaluate POST": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE),
    "course_runs.export_matrix GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.join GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "course_runs.join POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "course_runs.join_with_code GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "course_runs.join_with_code POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "course_runs.leave POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "course_runs.list_runs GET": (LOGIN, NO, NO, OK, OK, NO, OK),
    "course_runs.new_run GET": (LOGIN, NO, NO, OK, OK, NO, OK),
    "course_runs.new_run POST": (LOGIN, NO, NO, OK, OK, NO, OK),
    "course_runs.record_attendance GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.record_attendance POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.remove_participant POST": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.review_practice GET": (LOGIN, GONE, GONE, OK, GONE, GONE, OK),
    "course_runs.review_practice POST": (LOGIN, GONE, GONE, OK, GONE, GONE, OK),
    "course_runs.show_evaluation GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.show_matrix GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.show_run GET": (LOGIN, NO, NO, OK, GONE, NO, OK),
    "course_runs.submit_practice POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "learning.enrol POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "learning.list_courses GET": (OK, OK, OK, OK, OK, OK, OK),
    "learning.mark_read POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "learning.my_page GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "learning.resume_course GET": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE),
    "learning.show_course GET": (OK, OK, OK, OK, OK, OK, OK),
    "learning.show_module GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "outbox.list_messages GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "privacy.anonymise GET": (LOGIN, NO, NO, NO, NO, NO, OK),
    "privacy.anonymise POST": (LOGIN, NO, NO, NO, NO, NO, OK),
    "privacy.my_data GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "privacy.privacy_page GET": (OK, OK, OK, OK, OK, OK, OK),
    "quizzes.answer_attempt POST": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE),
    "quizzes.autosave_attempt POST": (LOGIN, CONFLICT, GONE, GONE, GONE, GONE, GONE),
    "quizzes.list_attempts GET": (LOGIN, OK, OK, OK, OK, OK, OK),
    "quizzes.show_attempt GET": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE),
    "quizzes.start_attempt POST": (LOGIN, OK, OK, OK, OK, OK, OK),
    "sso.callback GET": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "sso.end_session GET": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "sso.logged_out GET": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "sso.login GET": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "static GET": (OK, OK, OK, OK, OK, OK, OK),
}

#: Routes called last for each role, in this order (they change what later calls see).
LAST = ["certification.start_renewal", "course_runs.delete_session",
        "course_runs.remove_participant", "course_runs.leave", "privacy.anonymise",
        "accounts.logout"]

#: State-changing routes that may be called without a CSRF token, and why. None today:
#: every POST goes through a Flask-WTF form (login and logout included). Token-authenticated
#: API endpoints and LTI launches (signed JWTs) belong here when they arrive.
CSRF_EXEMPT: dict[str, str] = {}
