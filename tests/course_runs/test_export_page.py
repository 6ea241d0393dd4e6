"""The participant matrix exports hold exactly what the page shows under a filter and
sort, cell by cell; numbers and dates are typed in XLSX; the file name has run and date."""

from datetime import date

from modules.core.extensions import db
from modules.course_runs import services
from modules.learning import services as learning
from tests.conftest import login
from tests.export_compare import assert_export_matches_page, xlsx_types
from tests.helpers import take_quiz

from .test_matrix import _fill


def test_matrix_exports_match_the_page_under_filter_and_sort(client, run, make_user, trainer):
    a, b, c, d = _fill(run, make_user, 4)
    course = services.course_of(run)
    modules = learning.list_placed_modules(course)
    for user, right in ((a, 0), (b, 2), (d, 1)):  # 0 %, 100 % and 50 % (the pass mark)
        learning.mark_read(user, learning.get_enrolment(user, course), modules[0])
        take_quiz(user, modules[0], right=right, of=2)
    db.session.commit()
    login(client, trainer)
    base = f"/kursgjennomforinger/{run.id}/deltakeroversikt"
    query = {"filter": "not_completed", "sort": "progress"}
    rows = assert_export_matches_page(client, base, base + ".csv", base + ".xlsx",
                                      "Deltakeroversikt", query)
    body = [row[0] for row in rows[1:-1]]
    assert len(body) == 4 and body[-1] == c.name  # sorted by progress: c has none
    assert rows[-1][0] == "Totalt"
    response = client.get(base + ".xlsx", query_string=query)
    assert {"n", "s"} <= xlsx_types(response.data)
    name = response.headers["Content-Disposition"]
    assert "deltakeroversikt-grunnkurs-ost-vaar-" in name and date.today().isoformat() in name
