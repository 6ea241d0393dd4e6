"""Other features add sections to the module page (the quiz, the practice task)
by registering a renderer here, so learning never imports them."""

from collections.abc import Callable

from markupsafe import Markup

# renderer(user, course, learning_module, enrolment) -> Markup | None
ModulePanel = Callable[..., Markup | None]
_panels: list[ModulePanel] = []


def register_module_panel(renderer: ModulePanel) -> None:
    if renderer not in _panels:
        _panels.append(renderer)


def render_module_panels(user, course, learning_module, enrolment) -> list[Markup]:
    rendered = []
    for renderer in _panels:
        html = renderer(user, course, learning_module, enrolment)
        if html:
            rendered.append(html)
    return rendered


# renderer(user) -> Markup | None, a section on Min side (certificates, quiz results)
_my_page_panels: list[Callable[..., Markup | None]] = []


def register_my_page_panel(renderer) -> None:
    if renderer not in _my_page_panels:
        _my_page_panels.append(renderer)


def render_my_page_panels(user) -> list[Markup]:
    return [html for renderer in _my_page_panels if (html := renderer(user))]
