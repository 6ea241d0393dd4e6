"""Sections this feature adds to learning's pages: the practice task on the
module page, and the user's course runs on Min side. Also the run page's own
hook: later features (LTI roster sync) add a section there through
``register_run_panel`` so course_runs never imports them."""

from flask import url_for
from markupsafe import Markup

from modules.catalog import services as catalog
from modules.core.forms import ConfirmForm
from modules.core.markdown import render_markdown
from modules.core.templating import render_panel
from modules.learning.services import module_key

from . import evaluation, practice, services
from .forms import PracticeForm

# renderer(user, run) -> Markup | None, a section on the trainer's run page
_run_panels: list = []
# renderer(user) -> Markup | None, a notice on the trainer's list of runs
_runs_list_panels: list = []


def register_run_panel(renderer) -> None:
    if renderer not in _run_panels:
        _run_panels.append(renderer)


def render_run_panels(user, run) -> list[Markup]:
    return [html for renderer in _run_panels if (html := renderer(user, run))]


def register_runs_list_panel(renderer) -> None:
    if renderer not in _runs_list_panels:
        _runs_list_panels.append(renderer)


def render_runs_list_panels(user) -> list[Markup]:
    return [html for renderer in _runs_list_panels if (html := renderer(user))]


def practice_panel(user, course, learning_module, enrolment) -> Markup | None:
    if not learning_module.practice_prompt or enrolment is None:
        return None
    from .notices import practice_reviewers

    history = practice.history(user.id, learning_module.id)
    latest = history[0] if history else None
    form = PracticeForm()
    if latest is not None and latest.status == "returned" and not form.text.data:
        form.text.data = latest.text  # sent back: go on from the earlier text
    prompt = catalog.localized(learning_module, "practice_prompt")
    return render_panel(
        "course_runs/_practice_panel.html", module=learning_module, history=history,
        prompt_html=Markup(render_markdown(  # noqa: S704 - the renderer escapes raw HTML
            prompt, demote_headings=True,
            files_url=catalog.files_url_of(learning_module)).html), prompt_lang=prompt.attr,
        latest=latest, form=form,
        reviewers=[r.name for r in practice_reviewers(user.id, learning_module.id)],
        can_submit=latest is None or latest.status == "returned",
        back=url_for("learning.show_module", slug=course.slug,
                     module_slug=module_key(learning_module, course)))


def my_runs_panel(user) -> Markup | None:
    runs = services.list_my_runs(user)
    if not runs:
        return None
    from . import queries

    sessions = queries.sessions_by_run([run.id for run, _participant in runs])
    answerable = evaluation.answerable_runs(user, runs)
    items = [(run, participant, run.id in answerable, sessions[run.id])
             for run, participant in runs]
    return render_panel("course_runs/_my_runs_panel.html", items=items, form=ConfirmForm())
