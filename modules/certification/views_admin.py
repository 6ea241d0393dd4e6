"""The admin registry of certificates: filter, export, revoke."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from modules.accounts import services as accounts
from modules.audit.services import record_event
from modules.catalog.content import course_choices
from modules.catalog.models import Course
from modules.core.auth import admin_required
from modules.core.confirm import render_confirm
from modules.core.exports import download
from modules.core.extensions import db
from modules.core.ints import query_int
from modules.core.markdown import slugify

from . import registry, services
from .forms import RegistryFilterForm, RevokeForm
from .models import STATUSES
from .views import bp


def _filter_form() -> tuple[RegistryFilterForm, registry.RegistryFilters]:
    form = RegistryFilterForm(request.args)
    form.unit.choices = [("", _("Alle enheter"))] + [
        (str(u.id), u.label) for u in accounts.list_units()]
    courses = db.session.scalars(db.select(Course).where(Course.certificate.is_not(None))
                                 .order_by(Course.title))
    form.course.choices = [("", _("Alle kurs"))] + course_choices(courses)
    form.status.choices = [("", _("Alle"))] + [
        (s, _(registry.STATUS_LABELS[s])) for s in STATUSES]
    filters = registry.RegistryFilters()
    if form.validate():
        filters = registry.RegistryFilters(
            search=(form.q.data or "").strip(),
            unit_id=int(form.unit.data) if form.unit.data else None,
            course_id=int(form.course.data) if form.course.data else None,
            status=form.status.data or None,
            expires_within_days=int(form.expires_within.data) if form.expires_within.data
            else None)
    return form, filters


@bp.get("/admin/certificates")
@admin_required
def list_registry():
    form, filters = _filter_form()
    page = query_int("page", 1)
    return render_template("certification/registry.html", form=form,
                           pagination=registry.list_registry(filters, page=page),
                           export_args={k: v for k, v in request.args.items() if k != "page"})


@bp.get("/admin/certificates.<any(csv, xlsx):fmt>")
@admin_required
def export_registry(fmt: str):
    _form, filters = _filter_form()
    rows = registry.export_rows(filters)
    record_event(current_user, "certification.registry_exported",
                 summary=f"{len(rows)} ({fmt})",
                 details={"format": fmt, "rows": len(rows), "filters": dict(request.args)})
    db.session.commit()
    unit = next((u for u in accounts.list_units() if u.id == filters.unit_id), None)
    name = (f"kursbevis-{slugify(unit.name) if unit else 'alle-enheter'}-"
            f"{date.today().isoformat()}.{fmt}")
    return download(registry.to_csv(rows) if fmt == "csv" else registry.to_xlsx(rows), name)


@bp.route("/admin/certificates/<int:certificate_id>", methods=["GET", "POST"])
@admin_required
def show_certificate(certificate_id: int):
    certificate = registry.get_certificate(certificate_id) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit() and form.confirmed.data != "1":
        return _confirm_revoke(certificate, form)
    if form.validate_on_submit():
        try:
            services.revoke(certificate, actor=current_user, reason=form.reason.data)
        except services.CertificationError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Kursbeviset er tilbakekalt."), "success")
            return redirect(url_for("certification.show_certificate",
                                    certificate_id=certificate_id))
    return render_template("certification/certificate_admin.html", certificate=certificate,
                           form=form)


def _confirm_revoke(certificate, form: RevokeForm):
    course = db.session.get(Course, certificate.course_id)
    losses = [_("Kontrollsiden for kursbeviset viser at det er tilbakekalt, og Open Badge-"
                "lenken slutter å virke."),
              _("%(name)s kan ikke lenger laste ned kursbeviset som PDF.",
                name=certificate.user.name),
              _("%(name)s får e-post om at kursbeviset er tilbakekalt.",
                name=certificate.user.name)]
    if course is not None and course.track == "kursholder":
        losses.append(_("%(name)s kan ikke lenger opprette kursgjennomføringer eller "
                        "godkjenne nye kursholdere.", name=certificate.user.name))
    losses.append(_("Tilbakekallingen kan ikke angres; et nytt kursbevis må i så fall "
                    "registreres."))
    return render_confirm(
        title=_("Tilbakekalle kursbeviset til %(name)s?", name=certificate.user.name),
        question=_("«%(title)s», begrunnelse: %(reason)s", title=certificate.title,
                   reason=form.reason.data.strip()),
        losses=losses,
        action=url_for("certification.show_certificate", certificate_id=certificate.id),
        button=_("Tilbakekall kursbeviset"),
        cancel=url_for("certification.show_certificate", certificate_id=certificate.id),
        hidden={"reason": form.reason.data, "confirmed": "1"}, form=form)
