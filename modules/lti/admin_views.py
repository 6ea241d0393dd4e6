"""Admin pages: register platforms, what an LMS admin must paste, and the
grade sends not yet delivered."""

import json

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from modules.core.auth import admin_required
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.urls import external_url

from . import keys, queries, registration, services
from .errors import LtiError
from .forms import PlatformForm, RegistrationLinkForm
from .models import LtiPlatform
from .views import bp

LAUNCH_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _values(form: PlatformForm) -> dict:
    return {"name": form.name.data.strip(), "issuer": form.issuer.data.strip(),
            "client_id": form.client_id.data.strip(),
            "deployment_ids": _lines(form.deployment_ids.data),
            "auth_login_url": form.auth_login_url.data.strip(),
            "token_url": form.token_url.data.strip(), "jwks_url": form.jwks_url.data.strip(),
            "frame_origins": [o.rstrip("/") for o in _lines(form.frame_origins.data)],
            "default_unit_code": form.default_unit_code.data.strip(),
            "link_by_email": bool(form.link_by_email.data), "active": bool(form.active.data)}


@bp.get("/admin/lti")
@admin_required
def list_platforms():
    return render_template("lti/admin_platforms.html", platforms=services.list_platforms())


@bp.route("/admin/lti/platforms/new", methods=["GET", "POST"])
@admin_required
def create_platform():
    return _edit(None)


@bp.route("/admin/lti/platforms/<int:platform_id>", methods=["GET", "POST"])
@admin_required
def edit_platform(platform_id: int):
    return _edit(db.session.get(LtiPlatform, platform_id) or abort(404))


def _edit(platform: LtiPlatform | None):
    form = PlatformForm(obj=platform)
    if platform is not None and not form.is_submitted():
        form.deployment_ids.data = "\n".join(platform.deployment_ids)
        form.frame_origins.data = "\n".join(platform.frame_origins)
    if form.validate_on_submit():
        try:
            services.save_platform(platform, actor=current_user, **_values(form))
        except LtiError as error:
            db.session.rollback()
            getattr(form, error.code, form.name).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Læringsplattformen er lagret."), "success")
            return redirect(url_for("lti.list_platforms"))
    return render_template("lti/admin_platform_form.html", form=form, platform=platform)


def canvas_developer_key() -> dict:
    launch_url = external_url("lti.launch_tool")
    return {
        "title": "Innbyggerstemmen",
        "description": "Kurs og moduler fra Innbyggerstemmen (Politiet)",
        "oidc_initiation_url": external_url("lti.login"),
        "target_link_uri": launch_url,
        "public_jwk_url": external_url("lti.jwks"),
        "scopes": LAUNCH_SCOPES,
        "extensions": [{
            "platform": "canvas.instructure.com",
            "privacy_level": "public",
            "settings": {"placements": [
                {"placement": "link_selection", "message_type": "LtiDeepLinkingRequest",
                 "target_link_uri": launch_url},
                {"placement": "assignment_selection", "message_type": "LtiDeepLinkingRequest",
                 "target_link_uri": launch_url},
            ]},
        }],
        "custom_fields": {},
    }


@bp.get("/admin/lti/setup")
@admin_required
def show_setup():
    return render_template(
        "lti/admin_setup.html", login_url=external_url("lti.login"),
        launch_url=external_url("lti.launch_tool"),
        jwks_url=external_url("lti.jwks"), has_key=bool(keys.published_keys()),
        canvas_json=json.dumps(canvas_developer_key(), indent=2, ensure_ascii=False))


@bp.get("/admin/lti/grade-sends")
@admin_required
def list_grade_sends():
    return render_template("lti/admin_grade_sends.html", rows=queries.undelivered_grade_sends(),
                           delivered=queries.delivered_count())


@bp.route("/admin/lti/registrations", methods=["GET", "POST"])
@admin_required
def manage_registrations():
    """One-time LTI Dynamic Registration links: make one, see the earlier ones."""
    form = RegistrationLinkForm()
    url = None
    if form.validate_on_submit():
        try:
            _link, url = registration.create_link(
                actor=current_user, default_unit_code=form.default_unit_code.data.strip(),
                hours=form.hours.data)
        except LtiError as error:
            db.session.rollback()
            getattr(form, error.code, form.default_unit_code).errors.append(error.message)
        else:
            db.session.commit()
    return render_template("lti/admin_registrations.html", form=form, url=url,
                           links=registration.list_links(), now=utcnow())
