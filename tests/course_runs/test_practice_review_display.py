"""Practice review as people write: the reviewer sees the participant's paragraphs and
line breaks (escaped), a returned task comes back in the form with the comment beside
it, the participant sees who reviews, and the trainers are told a task waits."""

from modules.core.extensions import db
from modules.course_runs import practice, services
from modules.learning import services as learning
from modules.outbox.models import OutboxMessage
from tests.conftest import login

TEXT = ("Jeg snakket med tre innbyggere.\nDe ville ha mer synlighet.\n\n"
        "Neste gang <b>spør</b> jeg først.")


def _setup(client, run, make_user, trainer):
    user = make_user(name="Siri Ødegård")
    services.join_run(user, run)
    db.session.commit()
    course = services.course_of(run)
    module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
    return user, course, module


def test_trainers_are_told_and_the_reviewer_sees_paragraphs(app, client, run, make_user,
                                                            trainer):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    user, _course, module = _setup(client, run, make_user, trainer)
    login(client, user)
    client.post(f"/praksis/{module.id}", data={"text": TEXT})
    submission = practice.latest_submission(user.id, module.id)
    mail = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == trainer.email))
    assert "venter på vurdering" in mail.subject
    assert f"https://kurs.politiet.example/praksis/innlevering/{submission.id}/vurder" in mail.body

    client.post("/logout")
    login(client, trainer)
    page = client.get(f"/praksis/innlevering/{submission.id}/vurder").get_data(as_text=True)
    assert ("<p>Jeg snakket med tre innbyggere.<br>\nDe ville ha mer synlighet.</p>\n"
            "<p>Neste gang &lt;b&gt;spør&lt;/b&gt; jeg først.</p>") in page


def test_returned_task_keeps_the_text_with_the_comment_beside_it(client, run, make_user,
                                                                 trainer):
    user, course, module = _setup(client, run, make_user, trainer)
    submission = practice.submit(user, module, text=TEXT)
    practice.review(trainer, submission, run, approve=False,
                    comment="Fint!\n\nSkriv mer om hva du gjør annerledes.")
    db.session.commit()
    login(client, user)
    page = client.get(f"/courses/{course.slug}/m/{module.slug}").get_data(as_text=True)
    assert "Oppgaven vurderes av: Ola Bråten." in page
    aside = page.split('<aside class="notice"')[1].split("</aside>")[0]
    assert "Kommentar fra kursholderen" in aside
    assert "<p>Fint!</p>" in aside and "<p>Skriv mer om hva du gjør annerledes.</p>" in aside
    textarea = page.split('name="text"')[1].split("</textarea>")[0]
    assert "Jeg snakket med tre innbyggere." in textarea
    assert "&lt;b&gt;spør&lt;/b&gt;" in textarea


def test_self_study_participant_is_told_who_reviews(client, course, make_user):
    """Self-study: the qualified trainers of the participant's own unit review (the rule
    of practice review for participants without a run)."""
    user = make_user(unit="ost")
    make_user("trainer", unit="ost", name="Åse Enhetstrener")
    make_user("trainer", unit="nordland", name="Nils Annenenhet")
    make_user("participant", unit="ost", name="Pia Deltaker")
    learning.enrol(user, course)
    db.session.commit()
    module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
    login(client, user)
    page = client.get(f"/courses/{course.slug}/m/{module.slug}").get_data(as_text=True)
    assert "Oppgaven vurderes av: Åse Enhetstrener." in page
    assert "Nils Annenenhet" not in page and "Pia Deltaker" not in page


def test_self_study_in_a_unit_without_trainers_is_told_so(client, course, make_user):
    user = make_user(unit="finnmark")
    learning.enrol(user, course)
    db.session.commit()
    module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
    login(client, user)
    page = client.get(f"/courses/{course.slug}/m/{module.slug}").get_data(as_text=True)
    assert "enheten din har ingen sertifisert kursholder ennå" in page
