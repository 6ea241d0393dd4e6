"""The confirmation page every destructive action shows first (no JavaScript): what
will happen, what will be lost, a button that posts and a way back."""

from flask import render_template

from .forms import ConfirmForm


def render_confirm(*, title: str, question: str, losses: list[str], action: str,
                   button: str, cancel: str, hidden: dict | None = None, form=None):
    return render_template("core/confirm.html", title=title, question=question,
                           losses=losses, action=action, button=button, cancel=cancel,
                           hidden=hidden or {}, form=form or ConfirmForm())
