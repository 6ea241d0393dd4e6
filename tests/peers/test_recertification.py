"""Recertification: a renewal starts a new completion cycle in which max_attempts counts
afresh, the participant sees the cycle, and earlier certificates stay untouched."""

from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.conftest import login

from .conftest import correct_form, read_all

QUIZ = "/courses/sertifisert/m/quiz/quiz"


def _take_quiz(client):
    response = client.post(QUIZ + "/start")
    assert response.status_code == 302
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    client.post(f"/quiz/attempts/{attempt.id}", data=correct_form(attempt))
    db.session.expire_all()
    return attempt


def _certificates(user, course):
    db.session.expire_all()
    return list(db.session.scalars(db.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.cycle)))


def test_renewal_gives_a_new_cycle_with_max_attempts_one(client, make_user, courses):
    course = courses["sertifisert"]
    user = make_user()
    learning.enrol(user, course)
    db.session.commit()
    login(client, user)
    read_all(user, course)
    first = _take_quiz(client)
    assert first.passed and first.cycle == 1
    [certificate] = _certificates(user, course)
    before = (certificate.code, certificate.issued_at, certificate.expires_at,
              certificate.completed_at)
    # the one attempt is used: no second attempt in this cycle
    page = client.post(QUIZ + "/start", follow_redirects=True).get_data(as_text=True)
    assert "brukt det eneste forsøket" in page

    response = client.post(f"/certificates/{certificate.id}/renew")
    assert response.status_code == 302
    assert "Fornyelse 1" in client.get("/courses/sertifisert").get_data(as_text=True)
    assert "Fornyelse 1" in client.get(QUIZ).get_data(as_text=True)
    assert "Fornyelse 1" in client.get("/min-side").get_data(as_text=True)

    read_all(user, course)
    second = _take_quiz(client)
    assert second.passed and second.cycle == 2 and second.number == 2
    assert "Fornyelse 1" in client.get(f"/quiz/attempts/{second.id}").get_data(as_text=True)
    old, new = _certificates(user, course)
    assert (old.code, old.issued_at, old.expires_at, old.completed_at) == before
    assert old.revoked_at is None
    assert new.cycle == 2 and new.code != old.code
    # the history keeps both attempts; the new cycle's single attempt is used up
    history = client.get(QUIZ).get_data(as_text=True)
    assert "Forsøk 1" in history and "Forsøk 2" in history and "Forsøk igjen: 0" in history
    assert client.post(QUIZ + "/start").status_code == 302
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id)).where(
        QuizAttempt.user_id == user.id)) == 2


def test_refresher_course_renews_the_original_certificate(client, make_user, courses):
    original, refresher = courses["med-oppfrisk"], courses["oppfrisk"]
    user = make_user()
    learning.enrol(user, original)
    db.session.commit()
    read_all(user, original)
    [first] = _certificates(user, original)
    login(client, user)
    response = client.post(f"/certificates/{first.id}/renew")
    assert response.headers["Location"].endswith("/courses/oppfrisk")
    assert learning.get_enrolment(user, original).completed_at is not None  # untouched
    read_all(user, refresher)
    old, new = _certificates(user, original)
    assert old.id == first.id and old.cycle == 1 and new.cycle == 2
    assert new.expires_at >= old.expires_at


def test_granted_certificate_can_be_renewed_without_an_enrolment(app, make_user, courses):
    from modules.certification import services

    course = courses["sertifisert"]
    admin, holder = make_user(role="admin"), make_user()
    services.grant_certificate(holder, course, actor=admin)
    target = services.start_renewal(holder, course, actor=holder)
    assert target.id == course.id
    assert learning.get_enrolment(holder, course).cycle == 2


def test_unknown_manifest_key_is_still_refused_and_renewal_course_validated(tmp_path):
    from modules.catalog.package_format import parse_package
    from tests.conftest import write_package

    folder = write_package(tmp_path / "selv", extra_manifest=(
        '[certificate]\ntitle = "T"\nrenewal_course = "selv"\n'))
    problems = " ".join(p.message for p in parse_package(folder).problems)
    assert "renewal_course" in problems


def test_a_withdrawn_refresher_course_leaves_the_renewal_on_the_course_itself(
        app, make_user, courses):
    from modules.certification import services

    original, refresher = courses["med-oppfrisk"], courses["oppfrisk"]
    user = make_user()
    learning.enrol(user, original)
    db.session.commit()
    read_all(user, original)
    assert services.renewal_course(original).id == refresher.id
    refresher.available = False  # the refresher package was withdrawn
    db.session.commit()
    assert services.renewal_course(original) is None
    target = services.start_renewal(user, original, actor=user)
    assert target.id == original.id
    enrolment = learning.get_enrolment(user, original)
    assert enrolment.completed_at is None and enrolment.cycle == 2
