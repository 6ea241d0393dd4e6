"""Lineage and reach on a three-generation example."""

from modules.certification import lineage, services
from modules.certification.models import SignoffRequest
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import login
from tests.helpers import count_queries


def _certify(user, signer, courses):
    complete(user, courses["kursholder"])
    request = db.session.scalar(db.select(SignoffRequest).where(
        SignoffRequest.user_id == user.id, SignoffRequest.status == "pending"))
    services.sign_off(request, signed_off_by=signer)
    db.session.commit()


def _three_generations(make_user, courses):
    admin = make_user("admin", name="Nasjonal Admin", unit="pod")
    first = make_user("trainer", name="Første Generasjon", unit="ost")
    second_a = make_user("trainer", name="Andre A", unit="vest")
    second_b = make_user("trainer", name="Andre B", unit="vest")
    third = make_user("trainer", name="Tredje Generasjon", unit="agder")
    _certify(first, admin, courses)
    _certify(second_a, first, courses)
    _certify(second_b, first, courses)
    _certify(third, second_a, courses)
    return admin, first, second_a, second_b, third


def test_lineage_and_reach_down_the_tree(make_user, courses):
    admin, first, second_a, second_b, third = _three_generations(make_user, courses)
    tree = lineage.build_lineage()
    assert [n.user.id for n in tree.roots] == [first.id]
    nodes = tree.nodes
    assert (nodes[first.id].generation, nodes[second_a.id].generation,
            nodes[third.id].generation) == (1, 2, 3)
    assert nodes[first.id].reach == {second_a.id, second_b.id, third.id}
    assert nodes[second_a.id].reach == {third.id}
    assert nodes[third.id].reach == set()
    page = lineage.trainer_page(second_a)
    assert [u.id for u in page.certified_by] == [first.id]
    assert [n.user.id for n in page.certified] == [third.id]
    assert [u.id for u in lineage.trainer_page(first).certified_by] == [admin.id]


def test_reach_sources_add_participants(make_user, courses):
    _admin, first, second_a, _second_b, third = _three_generations(make_user, courses)
    participants = [make_user().id for _ in range(3)]

    def source(trainer_ids):  # as course runs would: completed participants per trainer
        return {third.id: set(participants[:2]), first.id: {participants[2]}}

    lineage.register_reach_source(source)
    try:
        nodes = lineage.build_lineage().nodes
    finally:
        lineage._reach_sources.remove(source)
    assert set(participants) <= nodes[first.id].reach
    assert nodes[second_a.id].reach == {third.id, *participants[:2]}


def test_national_cascade_per_generation_and_unit(make_user, courses):
    _three_generations(make_user, courses)
    rows, totals = lineage.national_cascade()
    assert totals == {1: 1, 2: 2, 3: 1}
    table = {(r.generation, r.unit): (r.trainers, r.reached) for r in rows}
    assert table[(1, "Øst politidistrikt")] == (1, 2)
    assert table[(2, "Vest politidistrikt")] == (2, 1)
    assert table[(3, "Agder politidistrikt")] == (1, 0)


def test_trainer_page_and_cascade_pages(client, make_user, courses):
    admin, first, second_a, _second_b, third = _three_generations(make_user, courses)
    login(client, admin)
    page = client.get(f"/certification/trainers/{second_a.id}").get_data(as_text=True)
    assert "Første Generasjon" in page and "Tredje Generasjon" in page
    with count_queries() as n:
        client.get(f"/certification/trainers/{first.id}")
    assert n[0] <= 8
    cascade = client.get("/certification/cascade")
    assert cascade.status_code == 200
    assert "Agder politidistrikt" in cascade.get_data(as_text=True)


def test_participants_see_only_their_own_trainer_page(client, make_user, courses):
    _admin, first, *_rest = _three_generations(make_user, courses)
    participant = make_user()
    login(client, participant)
    assert client.get(f"/certification/trainers/{first.id}").status_code == 404
    assert client.get(f"/certification/trainers/{participant.id}").status_code == 200
    assert client.get("/certification/cascade").status_code == 403


def test_trainer_pages_are_seen_only_along_the_lineage_the_unit_or_the_runs(
        client, make_user, courses):
    """Issue 17, row 8: leaders see their own unit; trainers their lineage up and down and
    their own participants; admins everyone; anyone else gets 404."""
    from modules.course_runs import services as runs

    admin, first, second_a, second_b, third = _three_generations(make_user, courses)
    outsider = make_user("trainer", name="Utenfor Kjeden", unit="nordland")
    _certify(outsider, admin, courses)
    own = make_user(name="Egen Deltaker", unit="nordland")
    stranger = make_user(name="Fremmed Deltaker", unit="nordland")
    run = runs.create_run(outsider, title="Nordlandskurs", course=courses["proveko"],
                          unit=outsider.unit, place="Bodø", capacity=12)
    runs.join_run(own, run)
    db.session.commit()
    leader_vest = make_user("leader", name="Leder Vest", unit="vest")

    def status(viewer, user):
        login(client, viewer)
        code = client.get(f"/certification/trainers/{user.id}").status_code
        client.post("/logout")
        return code

    # second_a: upstream first, downstream third; not the sibling's branch below
    assert status(second_a, first) == 200
    assert status(second_a, third) == 200
    assert status(third, first) == 200  # two generations up
    assert status(first, third) == 200  # two generations down
    assert status(second_b, third) == 404  # a sibling's trainee: not in second_b's line
    assert status(third, second_b) == 404
    assert status(outsider, first) == 404  # another chain, another unit
    assert status(outsider, own) == 200  # a participant of the outsider's run
    assert status(outsider, stranger) == 404
    assert status(first, own) == 404
    assert status(leader_vest, second_a) == 200  # Vest
    assert status(leader_vest, second_b) == 200
    assert status(leader_vest, first) == 404  # Øst
    assert status(leader_vest, own) == 404
    assert status(admin, stranger) == 200
    assert status(stranger, own) == 404


def test_cascade_is_computed_once_for_every_worker_and_says_when(app, client, make_user,
                                                                  courses):
    admin, *_rest = _three_generations(make_user, courses)
    app.config["REPORTS_REFRESH_SECONDS"] = 600
    login(client, admin)
    page = client.get("/certification/cascade").get_data(as_text=True)
    assert "Tall per " in page and "Agder politidistrikt" in page
    app.extensions["reports_dashboards"].clear()  # another worker: reads the shared row
    with count_queries() as n:
        rows, totals, _at = lineage.kept_cascade()
    assert n[0] == 2  # the snapshot and the units' names, no lineage built
    assert totals == {1: 1, 2: 2, 3: 1}
    assert [(r.generation, r.unit, r.trainers, r.reached) for r in rows] == [
        (1, "Øst politidistrikt", 1, 2), (2, "Vest politidistrikt", 2, 1),
        (3, "Agder politidistrikt", 1, 0)]
