"""The signer's decision on a sign-off request at its edges: the comment's limit of
2,000 characters after trimming, each refusal word for word, what is recorded (status,
time, signer, comment), which completion a decline reopens, and the candidate's mail."""

from datetime import timedelta

import pytest

from modules.audit.models import AuditEvent
from modules.catalog import services as catalog
from modules.certification import services
from modules.certification.models import DECLINED, MORE_PRACTICE, PENDING, SIGNED, SignoffRequest
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from modules.outbox.models import OutboxMessage
from tests.certification.conftest import complete, write_trainer_course
from tests.conftest import write_package
from tests.helpers import pass_quiz


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    write_trainer_course(folder)
    return folder


def _requests(user):
    return list(db.session.scalars(db.select(SignoffRequest).where(
        SignoffRequest.user_id == user.id).order_by(SignoffRequest.id)))


def _last_mail(address):
    return db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.to_address == address).order_by(OutboxMessage.id.desc())).first()


def _refused(request, signer, decision, comment):
    with pytest.raises(services.CertificationError) as refused:
        services.decide_signoff(request, signer=signer, decision=decision, comment=comment)
    assert request.status == PENDING and request.decided_at is None
    return refused.value


def test_the_comment_may_be_2000_characters_after_trimming_and_not_2001(chain):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    refusal = _refused(request, signer, "more_practice", "ø" * 2001)
    assert (refusal.message, refusal.field) == ("Kommentaren kan være høyst 2000 tegn.",
                                                "comment")
    services.decide_signoff(request, signer=signer, decision="more_practice",
                            comment="  " + "ø" * 2000 + "\n")
    assert request.status == MORE_PRACTICE and request.comment == "ø" * 2000


def test_an_unknown_decision_and_a_missing_comment_are_refused_word_for_word(chain):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    refusal = _refused(request, signer, "godkjenn", "Fint.")
    assert (refusal.message, refusal.field) == ("Ukjent valg.", None)
    for decision in ("more_practice", "decline"):
        refusal = _refused(request, signer, decision, " \n ")
        assert (refusal.message, refusal.field) == (
            "Skriv en kommentar til kandidaten: hva mangler?", "comment")


def test_approving_keeps_the_trimmed_comment_or_none_and_mails_it(chain):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    certificate = services.decide_signoff(request, signer=signer, decision="approve",
                                          comment="  Godt ledet dialogmøte.  ")
    assert request.status == SIGNED and request.certificate_id == certificate.id
    assert request.comment == "Godt ledet dialogmøte."
    assert "\nKommentar: Godt ledet dialogmøte.\n" in _last_mail("siri@example.com").body


def test_approving_without_a_comment_records_none(chain):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    services.decide_signoff(request, signer=signer, decision="approve")
    assert request.status == SIGNED and request.comment is None
    assert "Kommentar" not in _last_mail("siri@example.com").body


@pytest.mark.parametrize("decision, status", [("more_practice", MORE_PRACTICE),
                                              ("decline", DECLINED)])
def test_a_decision_records_when_and_by_whom(chain, decision, status):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    before = utcnow()
    services.decide_signoff(request, signer=signer, decision=decision, comment="Mer øving.")
    db.session.commit()
    db.session.refresh(request)
    assert request.status == status and request.decided_by_id == signer.id
    assert before - timedelta(seconds=1) <= request.decided_at <= utcnow()
    assert request.comment == "Mer øving." and request.certificate_id is None


def test_more_practice_mails_the_candidate_word_for_word(chain):
    signer, candidate, _course = chain
    services.decide_signoff(_requests(candidate)[0], signer=signer, decision="more_practice",
                            comment="Øv på oppsummeringen.")
    mail = _last_mail("siri@example.com")
    assert mail.subject == "Ikke godkjent ennå: Kursholderkurs"
    assert mail.body == (
        "Hei Siri Ødegård!\n\nOla Bråten ber deg øve mer før du kan godkjennes i "
        "«Kursholderkurs». Når du har øvd, tar du kontakt, så kan du bli godkjent uten å ta "
        "kurset på nytt.\n\nKommentar:\nØv på oppsummeringen.\n\nSe status på Min side: "
        "http://localhost/min-side\n")


def test_a_decline_mails_the_candidate_word_for_word(chain):
    signer, candidate, _course = chain
    services.decide_signoff(_requests(candidate)[0], signer=signer, decision="decline",
                            comment="Du møtte ikke på samlingene.")
    mail = _last_mail("siri@example.com")
    assert mail.subject == "Ikke godkjent: Kursholderkurs"
    assert mail.body == (
        "Hei Siri Ødegård!\n\nOla Bråten har ikke godkjent deg i «Kursholderkurs». Kurset er "
        "åpnet igjen: tar du det på nytt, blir du vurdert på nytt.\n\nKommentar:\nDu møtte "
        "ikke på samlingene.\n\nSe status på Min side: http://localhost/min-side\n")


def test_declining_an_old_request_leaves_a_newer_completion_alone(chain):
    """The candidate took the course again after asking: the decline is for the old
    completion, so the new one (and its own request) stays."""
    signer, candidate, course = chain
    old = _requests(candidate)[0]
    enrolment = learning.get_enrolment(candidate, course)
    learning.restart_course(enrolment, course)
    for learning_module in learning.list_placed_modules(course):
        learning.mark_read(candidate, enrolment, learning_module)
        if learning_module.quiz:
            pass_quiz(candidate, learning_module, course=course)
    db.session.commit()
    second_completion = enrolment.completed_at
    assert second_completion is not None and second_completion != old.completed_at

    services.decide_signoff(old, signer=signer, decision="decline", comment="Ikke nok.")
    db.session.commit()
    db.session.refresh(enrolment)
    assert enrolment.completed_at == second_completion and enrolment.cycle == 2
    assert [r.status for r in _requests(candidate)] == [DECLINED, PENDING]


def test_declining_the_current_request_reopens_the_course(chain):
    signer, candidate, course = chain
    services.decide_signoff(_requests(candidate)[0], signer=signer, decision="decline",
                            comment="Ikke nok.")
    db.session.commit()
    enrolment = learning.get_enrolment(candidate, course)
    assert enrolment.completed_at is None and enrolment.cycle == 2


def test_approving_records_when_and_by_whom(chain):
    signer, candidate, _course = chain
    request = _requests(candidate)[0]
    before = utcnow()
    services.decide_signoff(request, signer=signer, decision="approve")
    db.session.commit()
    db.session.refresh(request)
    assert request.decided_by_id == signer.id
    assert before - timedelta(seconds=1) <= request.decided_at <= utcnow()


def test_a_request_whose_completion_was_reopened_is_not_signed_off(chain):
    signer, candidate, course = chain
    request = _requests(candidate)[0]
    learning.restart_course(learning.get_enrolment(candidate, course), course)
    with pytest.raises(services.CertificationError) as refused:
        services.sign_off(request, signed_off_by=signer)
    assert refused.value.message == "Kurset er ikke lenger fullført."
    assert request.status == PENDING and request.certificate_id is None


def test_an_admin_cannot_sign_off_a_course_that_no_longer_asks_for_it(chain, make_user):
    """The package dropped ``signoff_by`` while a request waited: nobody signs it off."""
    _signer, candidate, course = chain
    course.certificate = {"title": "Sertifisering som kursholder", "valid_months": 24}
    db.session.commit()
    with pytest.raises(services.CertificationError) as refused:
        services.sign_off(_requests(candidate)[0], signed_off_by=make_user("admin"))
    assert refused.value.message == ("Bare en kursholder med gyldig sertifisering eller en "
                                     "administrator kan godkjenne.")


def test_without_a_public_base_url_the_mail_goes_without_links(app, chain):
    signer, candidate, _course = chain
    app.config["PUBLIC_BASE_URL"] = None
    services.decide_signoff(_requests(candidate)[0], signer=signer, decision="more_practice",
                            comment="Øv mer.")
    assert _last_mail("siri@example.com").body.endswith(
        "Kommentar:\nØv mer.\n\nSe status på Min side: \n")


def test_the_audit_log_records_each_decision_with_who_and_whom(chain):
    signer, candidate, course = chain
    request = _requests(candidate)[0]
    services.decide_signoff(request, signer=signer, decision="more_practice", comment="Øv.")
    certificate = services.decide_signoff(request, signer=signer, decision="approve")
    db.session.commit()
    events = list(db.session.execute(
        db.select(AuditEvent.actor_id, AuditEvent.action, AuditEvent.target_type,
                  AuditEvent.target_id, AuditEvent.summary, AuditEvent.details)
        .where(AuditEvent.action.not_in(("certification.grant",)),
               AuditEvent.actor_id == signer.id).order_by(AuditEvent.id)))
    user = f"user {candidate.id}"
    assert [tuple(event) for event in events] == [
        (signer.id, "certification.signoff_more_practice", "SignoffRequest", request.id,
         f"kursholder: {user}", {"course": "kursholder", "user_id": candidate.id}),
        (signer.id, "certification.issued", "Certificate", certificate.id,
         f"kursholder: {user}", {"course": "kursholder", "user_id": candidate.id,
                                 "certificate_id": certificate.id}),
        (signer.id, "certification.sign_off", "Certificate", certificate.id,
         f"kursholder: {user}", {"course": "kursholder", "user_id": candidate.id,
                                 "certificate_id": certificate.id}),
        (signer.id, "user.role_from_certificate", "User", candidate.id,
         f"{user}: participant -> trainer", {"course": "kursholder"}),
    ]
    assert course.slug == "kursholder"


def test_each_refusal_of_a_signer_word_for_word(chain, make_user):
    signer, candidate, course = chain
    request = _requests(candidate)[0]

    def refusal(who):
        with pytest.raises(services.CertificationError) as refused:
            services.sign_off(request, signed_off_by=who)
        return refused.value.message

    assert refusal(candidate) == "Du kan ikke godkjenne deg selv."
    assert refusal(make_user("trainer")) == (
        "Bare en kursholder med gyldig sertifisering eller en administrator kan godkjenne.")
    services.decide_signoff(request, signer=signer, decision="decline", comment="Nei.")
    assert refusal(signer) == "Denne godkjenningen er allerede behandlet."


def test_a_completion_asks_once_and_a_new_completion_asks_anew(chain):
    signer, candidate, course = chain
    enrolment = learning.get_enrolment(candidate, course)
    services.request_signoff(enrolment, course)  # the signal again: the same request
    assert len(_requests(candidate)) == 1
    services.decide_signoff(_requests(candidate)[0], signer=signer, decision="decline",
                            comment="Ta kurset på nytt.")
    for learning_module in learning.list_placed_modules(course):
        learning.mark_read(candidate, enrolment, learning_module)
        if learning_module.quiz:
            pass_quiz(candidate, learning_module, course=course)
    db.session.commit()
    assert [r.status for r in _requests(candidate)] == [DECLINED, PENDING]
    assert _requests(candidate)[1].completed_at == enrolment.completed_at


def test_a_certificate_is_issued_only_for_a_completion_of_that_course(chain, make_user):
    _signer, candidate, course = chain
    other = catalog.get_course_by_slug("proveko")
    other.certificate = {"title": "Kursbevis", "valid_months": 0}
    db.session.commit()
    started = learning.enrol(make_user(), course)
    for enrolment, target in ((started, course),
                              (learning.get_enrolment(candidate, course), other)):
        with pytest.raises(services.CertificationError) as refused:
            services.issue_certificate(enrolment, target)
        assert refused.value.message == "Kurset er ikke fullført."


def test_signing_off_directly_keeps_no_comment_or_at_most_2000_characters(chain, make_user):
    signer, candidate, course = chain
    services.sign_off(_requests(candidate)[0], signed_off_by=signer)
    assert _requests(candidate)[0].comment is None
    other = make_user(name="Per Andersen", email="per@example.com")
    complete(other, course)
    services.sign_off(_requests(other)[0], signed_off_by=signer, comment="å" * 2001)
    assert _requests(other)[0].comment == "å" * 2000
