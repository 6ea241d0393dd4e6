"""A small world for the access table: two courses, a run led by one trainer with one
participant, a session, a quiz attempt, a practice submission with a file, a certificate,
and a pending trainer sign-off. Each role is then tested against objects that are the
participant's or the trainer's, so "another participant" and "another trainer" meet
objects that are NOT theirs."""

from dataclasses import dataclass
from datetime import date, time

from modules.catalog import services as catalog
from modules.certification import services as certification
from modules.certification.models import Certificate, SignoffRequest
from modules.core.extensions import db
from modules.course_runs import practice
from modules.course_runs import services as runs
from modules.learning import services as learning
from modules.lti.models import LtiPlatform
from modules.quizzes import services as quizzes
from modules.reports.models import ApiToken
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package

PRACTICE_MD = MODULE_MD.replace('summary = "Kort om modulen."', '''summary = "Kort om modulen."

[practice]
prompt = "Snakk med en innbygger."''')

CERT = '\n[certificate]\ntitle = "Kursbevis: Prøvekurs"\nvalid_months = 0\n'
TRAINER_CERT = ('\n[certificate]\ntitle = "Sertifisering som kursholder"\nvalid_months = 24\n'
                'signoff_by = "kursholder"\n')

ROLES = ("anonymous", "participant", "participant2", "trainer", "trainer2", "leader", "admin")


def write_world_courses(folder) -> None:
    write_package(folder / "proveko", extra_manifest=CERT, modules={
        "01-forste": (MODULE_MD.format(title="Første modul"), QUIZ_TOML),
        "02-praksis": (PRACTICE_MD.format(title="Øving"), None),
    })
    write_package(folder / "kursholder", slug_title="Kursholderkurs",
                  extra_manifest=TRAINER_CERT)


@dataclass
class World:
    users: dict
    values: dict  # URL argument name -> value, per endpoint overrides in the test


def _complete(user, course):
    enrolment = learning.get_enrolment(user, course) or learning.enrol(user, course)
    for module in learning.list_placed_modules(course):
        learning.mark_read(user, enrolment, module)
        if module.quiz:
            learning.record_quiz_result(user, module, 1.0, True)
    return enrolment


def build_world(make_user) -> World:
    result = catalog.sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    course = catalog.get_course_by_slug("proveko")
    trainer_course = catalog.get_course_by_slug("kursholder")
    users = {
        "participant": make_user("participant", name="Per Deltaker"),
        "participant2": make_user("participant", name="Pia Annen"),
        "trainer": make_user("trainer", name="Tore Kursholder"),
        "trainer2": make_user("trainer", name="Tina Annen"),
        "leader": make_user("leader", name="Lise Leder"),
        "admin": make_user("admin", name="Ada Admin"),
    }
    participant, trainer = users["participant"], users["trainer"]
    certification.grant_certificate(trainer, trainer_course, actor=users["admin"])
    run = runs.create_run(trainer, title="Grunnkurs", course=course,
                          unit=participant.unit, place="Politihuset", capacity=20)
    session = runs.add_session(trainer, run, day=date(2026, 3, 1), start=time(9),
                               end=time(15))
    runs.join_run(participant, run)
    learning.get_enrolment(participant, course) or learning.enrol(participant, course)
    modules = learning.list_placed_modules(course)
    quiz_module = next(m for m in modules if m.quiz)
    practice_module = next(m for m in modules if m.practice_prompt)
    attempt = quizzes.start_or_resume_attempt(participant, course, quiz_module)
    submission = practice.submit(participant, practice_module, text="Jeg lyttet.",
                                 filename="notat.txt", data=b"notat")
    _complete(participant, course)
    _complete(participant, trainer_course)  # a pending sign-off for the trainer to decide
    db.session.commit()
    certificate = db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == participant.id, Certificate.course_id == course.id))
    signoff = db.session.scalar(db.select(SignoffRequest).where(
        SignoffRequest.user_id == participant.id))
    assert certificate is not None and signoff is not None
    platform = LtiPlatform(name="Canvas", issuer="https://canvas.example.com",
                           client_id="123", deployment_ids=["1"],
                           auth_login_url="https://canvas.example.com/auth",
                           token_url="https://canvas.example.com/token",
                           jwks_url="https://canvas.example.com/jwks")
    token = ApiToken(name="HR", token_hash="0" * 64, prefix="abcd1234",
                     created_by_id=users["admin"].id)
    db.session.add_all([platform, token])
    db.session.commit()
    values = {
        "platform_id": platform.id, "token_id": token.id, "unit_code": "ost",
        "table": "maneder", "state": "ukjent-tilstand",
        "run_id": run.id, "session_id": session.id, "user_id": participant.id,
        "submission_id": submission.id, "attempt_id": attempt.id,
        "certificate_id": certificate.id, "request_id": signoff.id,
        "module_id": practice_module.id, "slug": "proveko",
        "module_slug": quiz_module.slug, "key": quiz_module.slug, "name": "mal.md",
        "code": certificate.code, "join_code": run.join_code, "token": "ugyldig-token",
        "fmt": "csv", "filename": "css/app.css",
    }
    return World(users=users, values=values)
