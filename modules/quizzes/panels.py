"""The quiz section on the module page and the quiz results on Min side,
registered with modules.learning.panels so learning never imports quizzes."""

from markupsafe import Markup

from modules.core.forms import ConfirmForm
from modules.core.templating import render_panel
from modules.learning.services import module_key

from . import queries


def module_panel(user, course, learning_module, enrolment) -> Markup | None:
    if not learning_module.quiz or enrolment is None:
        return None
    return render_panel(
        "quizzes/_module_panel.html", course=course, module=learning_module,
        key=module_key(learning_module, course),
        summary=queries.quiz_summary(user, learning_module, enrolment.cycle or 1),
        form=ConfirmForm())


def my_page_panel(user) -> Markup | None:
    results = queries.my_quiz_results(user)
    if not results:
        return None
    return render_panel("quizzes/_my_page_panel.html", results=results)
