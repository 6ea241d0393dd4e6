"""Who counts as a trainer of a run: the lead, co-trainers and admins, and nobody
deactivated, whatever rows remain."""

from modules.accounts import services as accounts
from modules.core.extensions import db
from modules.course_runs import services
from tests.conftest import login


def test_a_deactivated_co_trainer_loses_the_run(app, client, run, trainer, make_user):
    co = make_user("trainer", name="Kari Medkursholder")
    admin = make_user("admin")
    assert services.add_co_trainer(trainer, run, co)
    db.session.commit()
    assert services.is_trainer_of(co, run)
    login(client, co)
    assert client.get(f"/kursgjennomforinger/{run.id}").status_code == 200
    client.post("/logout")
    accounts.update_user(co, actor=admin, name=co.name, unit=co.unit, role=co.role,
                         active=False)
    db.session.commit()
    assert not services.is_trainer_of(co, run)
    assert services.get_run_for_trainer(co, run.id) is None
    assert services.is_trainer_of(trainer, run)  # the lead is unaffected


def test_a_deactivated_lead_trainer_loses_the_run(run, trainer, make_user):
    admin = make_user("admin")
    accounts.update_user(trainer, actor=admin, name=trainer.name, unit=trainer.unit,
                         role=trainer.role, active=False)
    db.session.commit()
    assert not services.is_trainer_of(trainer, run)
    assert services.is_trainer_of(admin, run)


def test_a_trainer_of_another_run_is_not_a_trainer_of_this_one(run, make_user, make_run):
    other = make_user("trainer", name="Tina Annen")
    make_run(lead=other, title="Annen kursgjennomføring")
    assert not services.is_trainer_of(other, run)
    assert services.get_run_for_trainer(other, run.id) is None
