"""Public verification, Open Badges JSON, the holder's PDF and renewal, trainer sign-off."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from modules.catalog import services as catalog
from modules.catalog.models import Course
from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.core.i18n import in_language_of
from modules.core.urls import external_url

from . import badges, queries, services
from .forms import SignoffForm, VerifyForm
from .pdf import render_certificate_pdf

bp = Blueprint("certification", __name__)


# --- public verification ---------------------------------------------------------

@bp.get("/verify")
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certification.verify", code=form.code.data.strip()))
    return render_template("certification/verify_form.html", form=form)


@bp.get("/verify/<code>")
def verify(code: str):
    view = queries.verification(code)
    response = render_template("certification/verify.html", view=view, code=code,
                               form=VerifyForm(formdata=None))
    headers = {"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
    return (response, 200 if view else 404, headers)


# --- Open Badges 2.0 (hosted) -------------------------------------------------------

def _issuer_url() -> str:
    return external_url("certification.badge_issuer")


def _badge_class_url(slug: str) -> str:
    return external_url("certification.badge_class", slug=slug)


@bp.get("/badges/issuer.json")
def badge_issuer():
    config = current_app.config
    return jsonify(badges.issuer_json(
        issuer_url=_issuer_url(), name=config["CERTIFICATE_ISSUER_NAME"],
        homepage=config.get("CERTIFICATE_ISSUER_URL") or external_url("learning.list_courses"),
        email=config["CERTIFICATE_ISSUER_EMAIL"],
        description=config["CERTIFICATE_ISSUER_DESCRIPTION"]))


def _certified_course_or_404(slug: str):
    course = catalog.get_course_by_slug(slug)
    if course is None or not course.certificate:
        abort(404)
    return course


@bp.get("/badges/courses/<slug>.json")
def badge_class(slug: str):
    course = _certified_course_or_404(slug)
    return jsonify(badges.badge_class_json(
        course, badge_url=_badge_class_url(slug),
        image_url=external_url("certification.badge_image", slug=slug),
        criteria_url=external_url("learning.show_course", slug=slug),
        issuer_url=_issuer_url()))


@bp.get("/badges/courses/<slug>.svg")
def badge_image(slug: str):
    course = _certified_course_or_404(slug)
    svg = badges.badge_svg(course.certificate.get("title") or course.title, course.title)
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/badges/assertions/<code>.json")
def badge_assertion(code: str):
    certificate = services.get_certificate_by_code(code) or abort(404)
    course = db.session.get(Course, certificate.course_id)
    data = badges.assertion_json(
        certificate, email=certificate.user.email,
        assertion_url=external_url("certification.badge_assertion", code=code),
        badge_url=_badge_class_url(course.slug),
        verify_url=external_url("certification.verify", code=code))
    # Hosted verification: a revoked assertion answers 410 Gone, with the reason.
    return jsonify(data), 410 if certificate.revoked_at else 200


# --- the holder ---------------------------------------------------------------------

@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def download_pdf(certificate_id: int):
    certificate = queries.get_certificate_for(current_user, certificate_id) or abort(404)
    if certificate.revoked_at is not None:
        flash(_("Kursbeviset er tilbakekalt og kan ikke lastes ned."), "error")
        return redirect(url_for("learning.my_page"))
    with in_language_of(certificate.user):  # the holder's standard, also when an admin asks
        pdf = render_certificate_pdf(
            certificate, holder_name=certificate.user.name,
            certifier_name=certificate.certifier.name if certificate.certifier else None,
            verify_url=external_url("certification.verify", code=certificate.code),
            issuer_name=current_app.config["CERTIFICATE_ISSUER_NAME"])
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="kursbevis-{certificate.id}.pdf"'})


@bp.post("/certificates/<int:certificate_id>/renew")
@login_required
def start_renewal(certificate_id: int):
    certificate = queries.get_certificate_for(current_user, certificate_id) or abort(404)
    if certificate.user_id != current_user.id or not ConfirmForm().validate_on_submit():
        abort(400)
    course = db.session.get(Course, certificate.course_id)
    try:
        target = services.start_renewal(current_user, course, actor=current_user)
    except services.CertificationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("learning.my_page"))
    db.session.commit()
    if target.id != course.id:
        flash(_("Fornyelsen er startet. Fullfør oppfriskningskurset «%(title)s» for å få nytt "
                "kursbevis.", title=target.title), "success")
    else:
        flash(_("Fornyelsen er startet. Fullfør kurset på nytt for å få nytt kursbevis."),
              "success")
    return redirect(url_for("learning.show_course", slug=target.slug))


# --- trainer sign-off ----------------------------------------------------------------

@bp.get("/certification/signoffs")
@login_required
def list_signoffs():
    if not current_user.is_trainer:
        abort(403)
    pending = queries.pending_signoffs(current_user)
    may_sign = current_user.is_admin or services.has_active_certificate(current_user,
                                                                        "kursholder")
    return render_template("certification/signoffs.html", pending=pending, may_sign=may_sign,
                           forms={p.id: SignoffForm(prefix=f"s{p.id}", formdata=None)
                                  for p in pending})


@bp.post("/certification/signoffs/<int:request_id>")
@login_required
def sign_off(request_id: int):
    if not current_user.is_trainer:  # as on the list: only trainers and admins sign off
        abort(403)
    signoff = services.get_signoff_request(request_id) or abort(404)
    form = SignoffForm(prefix=f"s{request_id}")
    if not form.validate_on_submit():
        flash(_("Kommentaren kan være høyst 2000 tegn."), "error")
        return redirect(url_for("certification.list_signoffs"))
    name, decision = signoff.user.name, form.decision()
    try:
        services.decide_signoff(signoff, signer=current_user, decision=decision,
                                comment=form.comment.data or "")
    except services.CertificationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("certification.list_signoffs"))
    db.session.commit()
    if decision == "approve":
        flash(_("%(name)s er godkjent. E-post om hva godkjenningen gir, er sendt.", name=name),
              "success")
    elif decision == "more_practice":
        flash(_("%(name)s har fått beskjed om å øve mer.", name=name), "success")
    else:
        flash(_("%(name)s er ikke godkjent.", name=name), "success")
    return redirect(url_for("certification.list_signoffs"))
