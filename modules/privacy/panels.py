from flask import render_template
from markupsafe import Markup


def my_data_panel(user) -> Markup:
    # Safe: the template is rendered with autoescaping on.
    return Markup(render_template("privacy/_my_data.html"))  # noqa: S704
