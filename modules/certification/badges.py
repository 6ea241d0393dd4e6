"""Open Badges 2.0 hosted JSON: the Issuer, one BadgeClass per course, one Assertion per
certificate. URLs are built by the caller (views) and passed in, so this stays pure."""

import hashlib
from datetime import datetime

#: what anyone reading the hosted assertion sees, whatever the admin wrote
PUBLIC_REVOCATION_REASON = "Kursbeviset er trukket tilbake av utstederen."

CONTEXT = "https://w3id.org/openbadges/v2"


def iso(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def recipient_identity(email: str, salt: str) -> str:
    """``sha256$`` + hex digest of the lower-cased email followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def issuer_json(*, issuer_url: str, name: str, homepage: str, email: str,
                description: str) -> dict:
    return {"@context": CONTEXT, "type": "Issuer", "id": issuer_url, "name": name,
            "url": homepage, "email": email, "description": description}


def badge_class_json(course, *, badge_url: str, image_url: str, criteria_url: str,
                     issuer_url: str) -> dict:
    config = course.certificate or {}
    return {
        "@context": CONTEXT, "type": "BadgeClass", "id": badge_url,
        "name": config.get("title") or course.title,
        "description": course.summary or course.title,
        "image": image_url,
        "criteria": {"id": criteria_url,
                     "narrative": f"Fullført kurset «{course.title}»."
                     + (" Godkjent av en sertifisert kursholder."
                        if config.get("signoff_by") else "")},
        "issuer": issuer_url,
        "tags": [course.track],
    }


def assertion_json(certificate, *, email: str, assertion_url: str, badge_url: str,
                   verify_url: str) -> dict:
    data = {
        "@context": CONTEXT, "type": "Assertion", "id": assertion_url,
        "recipient": {"type": "email", "hashed": True, "salt": certificate.badge_salt,
                      "identity": recipient_identity(email, certificate.badge_salt)},
        "badge": badge_url,
        "verification": {"type": "hosted"},
        "issuedOn": iso(certificate.issued_at),
        "evidence": verify_url,
    }
    if certificate.expires_at:
        data["expires"] = iso(certificate.expires_at)
    if certificate.revoked_at:
        data["revoked"] = True
        # The admin's reason is internal (it may name a person or an incident): the
        # public assertion gives a neutral one.
        data["revocationReason"] = PUBLIC_REVOCATION_REASON
    return data


def badge_svg(title: str, subtitle: str) -> str:
    """A simple round badge image; text is escaped."""
    from markupsafe import escape

    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" \
viewBox="0 0 400 400" role="img" aria-label="{escape(title)}">
<title>{escape(title)}</title>
<circle cx="200" cy="200" r="190" fill="#002e5e"/>
<circle cx="200" cy="200" r="165" fill="none" stroke="#f2c200" stroke-width="8"/>
<text x="200" y="150" font-family="DejaVu Sans, Arial, sans-serif" font-size="26" \
fill="#ffffff" text-anchor="middle">Innbyggerstemmen</text>
<text x="200" y="215" font-family="DejaVu Sans, Arial, sans-serif" font-size="30" \
font-weight="bold" fill="#f2c200" text-anchor="middle">{escape(subtitle[:22])}</text>
<text x="200" y="270" font-family="DejaVu Sans, Arial, sans-serif" font-size="20" \
fill="#ffffff" text-anchor="middle">Kursbevis</text>
</svg>"""
