"""A trainer who types the address of someone from another unit does not enrol them:
the person gets an invitation and decides; nobody leaves another run by it; a practice
submission stays with the run it was handed in for (issue 17, row 2)."""

from modules.accounts.services import find_unit
from modules.core.extensions import db
from modules.course_runs import practice, services
from modules.course_runs.models import RunParticipant
from modules.learning import services as learning
from modules.outbox.models import OutboxMessage
from tests.conftest import login


def _runs_of(user) -> set[int]:
    return set(db.session.scalars(db.select(RunParticipant.run_id).where(
        RunParticipant.user_id == user.id)))


def _enrol(client, trainer, run, *emails):
    login(client, trainer)
    response = client.post(f"/kursgjennomforinger/{run.id}/deltakere/epost",
                           data={"emails": "\n".join(emails)})
    client.post("/logout")
    return response


def test_enrolling_someone_from_another_unit_sends_an_invitation_instead(
        client, course, run, trainer, make_user):
    nordland_trainer = make_user("trainer", name="Nora Nord", unit="nordland")
    their_run = services.create_run(nordland_trainer, title="Nordland høst", course=course,
                                    unit=find_unit("nordland"), place="Bodø", capacity=10)
    person = make_user(name="Nils Nordlending", unit="nordland")
    colleague = make_user(name="Åse Østlending", unit="ost")
    services.join_run(person, their_run)
    module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
    submission = practice.submit(person, module, text="Jeg lyttet til naboen.")
    db.session.commit()
    assert submission.run_id == their_run.id

    response = _enrol(client, trainer, run, person.email, colleague.email)
    assert response.status_code == 302
    assert _runs_of(person) == {their_run.id}  # not enrolled on the trainer's run
    assert _runs_of(colleague) == {run.id}  # same unit as the trainer: enrolled
    mail = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == person.email))
    assert f"/bli-med/{run.join_code}" in mail.body and "takker ja" in mail.body

    def review_status(user):
        login(client, user)
        code = client.get(f"/praksis/innlevering/{submission.id}/vurder").status_code
        client.post("/logout")
        return code

    assert review_status(trainer) == 404
    assert review_status(nordland_trainer) == 200

    # the person accepts: now on both runs, the submission stays with the first
    login(client, person)
    assert client.post(f"/bli-med/{run.join_code}").status_code == 302
    client.post("/logout")
    assert _runs_of(person) == {their_run.id, run.id}
    assert review_status(trainer) == 404
    assert review_status(nordland_trainer) == 200
    from modules.course_runs.queries import pending_practice
    assert [s.id for s in pending_practice(their_run)] == [submission.id]
    assert pending_practice(run) == []


def test_enrolling_the_same_person_twice_only_invites_again(
        client, run, trainer, make_user):
    person = make_user(name="Vera Vestlending", unit="vest")
    _enrol(client, trainer, run, person.email)
    _enrol(client, trainer, run, person.email)
    assert _runs_of(person) == set()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address == person.email)) == 2
