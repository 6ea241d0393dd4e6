"""Item analysis guards the pool (issue 16, point 7): with at least 30 answers, a
question with facility above 95 % or negative discrimination is flagged on the admin
page and listed by `flask reports items --flagged`."""

from modules.core.extensions import db
from modules.reports import demo, items
from tests.conftest import login


def _item(answers: int, right: int, discrimination: float | None) -> items.ItemStats:
    return items.ItemStats(course_title="K", module_title="M", learning_module_id=1,
                           question_id="q", text="?", qtype="single", versions=1,
                           answers=answers, right=right, discrimination=discrimination)


def test_pool_flags_need_thirty_answers_and_facility_above_95_percent():
    assert _item(40, 39, 0.2).pool_flags == ["Over 95 % svarer riktig"]  # 97.5 %
    assert _item(40, 38, 0.2).pool_flags == []  # exactly 95 %: not above
    assert _item(29, 29, -0.4).pool_flags == []  # too few answers to judge
    assert _item(30, 12, -0.05).pool_flags == ["Negativ diskriminering"]
    assert _item(30, 30, None).pool_flags == ["Over 95 % svarer riktig"]


def test_crafted_bad_question_is_flagged_only_from_thirty_attempts(dataset):
    demo.generate_bad_question(29)
    db.session.commit()
    assert [item.question_id for item in items.analyse() if item.pool_flagged] == []
    demo.generate_bad_question(1)
    db.session.commit()
    flagged = {item.question_id: item.pool_flags for item in items.analyse()
               if item.pool_flagged}
    assert flagged == {"demo-darlig": ["Negativ diskriminering"]}


def test_cli_lists_the_flagged_questions(app, dataset):
    demo.generate_bad_question(30)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "items", "--flagged"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if " / " in line]
    assert len(lines) == 1
    assert "demo-darlig: 30 svar, 50 % riktig, diskriminering -" in lines[0]
    assert lines[0].endswith("– Negativ diskriminering")
    everything = app.test_cli_runner().invoke(args=["reports", "items"])
    assert "demo-god-1: 30 svar" in everything.output


def test_admin_page_lists_and_filters_the_flagged_questions(client, dataset, make_user):
    module = demo.generate_bad_question(30)
    db.session.commit()
    login(client, make_user("admin", unit="oslo"))
    page = client.get("/reports/items").get_data(as_text=True)
    assert "Spørsmål som bør revideres" in page
    assert f'href="#q-{module.id}-demo-darlig"' in page
    assert "Bør revideres: Negativ diskriminering" in page
    only = client.get("/reports/items?flagged=1").get_data(as_text=True)
    assert f'id="q-{module.id}-demo-darlig"' in only
    assert "demo-god-1" not in only
