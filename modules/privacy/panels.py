from markupsafe import Markup

from modules.core.templating import render_panel


def my_data_panel(user) -> Markup:
    return render_panel("privacy/_my_data.html")
