"""The participant matrix exports hold exactly what the page shows under a filter and
sort, cell by cell; numbers and dates are typed in XLSX; the file name has run and date."""

from datetime import date

from modules.core.extensions import db
from modules.course_runs import services
from modules.learning import services as learning
from tests.conftest import login
from tests.export_compare import assert_export_matches_page, xlsx_types

from .test_matrix import _fill


def test_matrix_exports_match_the_page_under_filter_and_sort(client, run, make_user, trainer):
    a, b, c, d = _fill(run, make_user, 4)
    course = services.course_of(run)
    modules = learning.list_placed_modules(course)
    for user, share, passed in ((a, 0.4, False), (b, 1.0, True), (d, 0.5, True)):
        learning.mark_read(user, learning.get_enrolment(user, course), modules[0])
        learning.record_quiz_result(user, modules[0], share, passed)
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
