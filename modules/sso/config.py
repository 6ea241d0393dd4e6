"""OpenID providers from the configuration.

Either ``OIDC_PROVIDERS`` in instance/config.py (a list of dicts, or the same as JSON in
the environment variable ``OIDC_PROVIDERS``), or the simple environment form::

    OIDC_PROVIDER_NAMES=politiet
    OIDC_POLITIET_ISSUER=https://login.microsoftonline.com/<tenant id>/v2.0
    OIDC_POLITIET_CLIENT_ID=...
    OIDC_POLITIET_CLIENT_SECRET=...
    OIDC_POLITIET_LABEL="Logg inn med politiets konto"
    OIDC_POLITIET_SCOPES="openid email profile"        # optional
    OIDC_POLITIET_UNIT_CLAIM=groups                      # optional
    OIDC_POLITIET_UNIT_MAP='{"<group object id>": "ost"}'  # optional, JSON
    OIDC_POLITIET_DEFAULT_UNIT=pod                       # optional
    OIDC_POLITIET_ALLOW_EMAIL_LINK=false                 # optional
"""

import json
import os
import re
from dataclasses import dataclass, field

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
REQUIRED = ("name", "issuer", "client_id", "client_secret")
KNOWN = (*REQUIRED, "label", "scopes", "unit_claim", "unit_map", "default_unit",
         "allow_email_link", "timeout")


class ProviderConfigError(ValueError):
    """The OIDC_PROVIDERS setting is malformed (raised at start-up)."""


@dataclass(frozen=True)
class ProviderConfig:
    name: str  # in URLs: /sso/<name>/login and /sso/<name>/callback
    issuer: str  # discovery is read from <issuer>/.well-known/openid-configuration
    client_id: str
    client_secret: str
    label: str = ""
    scopes: str = "openid email profile"
    unit_claim: str | None = None  # a claim holding a unit code or group ids
    unit_map: dict[str, str] = field(default_factory=dict)  # claim value -> unit code
    default_unit: str | None = None  # unit code when the claim gives none
    allow_email_link: bool = False  # link an existing local account by verified email
    timeout: float = 10.0  # seconds, for every call to the provider

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def display_label(self) -> str:
        return self.label or f"Logg inn med {self.name}"


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "ja", "on")
    return bool(value)


def parse_provider(entry: dict) -> ProviderConfig:
    if not isinstance(entry, dict):
        raise ProviderConfigError(f"OIDC provider entry must be a dict, got {entry!r}")
    missing = [key for key in REQUIRED if not entry.get(key)]
    if missing:
        raise ProviderConfigError(f"OIDC provider {entry.get('name')!r}: missing {missing}")
    unknown = sorted(set(entry) - set(KNOWN))
    if unknown:
        raise ProviderConfigError(f"OIDC provider {entry['name']!r}: unknown keys {unknown}")
    if not NAME_PATTERN.match(entry["name"]):
        raise ProviderConfigError(f"OIDC provider name {entry['name']!r}: use a-z, 0-9 and -")
    scopes = entry.get("scopes") or "openid email profile"
    if "openid" not in scopes.split():
        raise ProviderConfigError(f"OIDC provider {entry['name']!r}: scopes must include openid")
    unit_map = entry.get("unit_map") or {}
    if isinstance(unit_map, str):
        unit_map = json.loads(unit_map)
    return ProviderConfig(
        name=entry["name"], issuer=entry["issuer"], client_id=entry["client_id"],
        client_secret=entry["client_secret"], label=entry.get("label") or "",
        scopes=scopes, unit_claim=entry.get("unit_claim") or None,
        unit_map={str(key): str(value) for key, value in unit_map.items()},
        default_unit=entry.get("default_unit") or None,
        allow_email_link=_bool(entry.get("allow_email_link", False)),
        timeout=float(entry.get("timeout") or 10.0),
    )


def _from_environment(environ) -> list[dict]:
    if environ.get("OIDC_PROVIDERS"):
        return json.loads(environ["OIDC_PROVIDERS"])
    entries = []
    names = [name.strip() for name in environ.get("OIDC_PROVIDER_NAMES", "").split(",")]
    for name in filter(None, names):
        prefix = "OIDC_" + name.upper().replace("-", "_") + "_"
        entry = {"name": name}
        for key in KNOWN[1:]:
            if environ.get(prefix + key.upper()) is not None:
                entry[key] = environ[prefix + key.upper()]
        entries.append(entry)
    return entries


def load_providers(app_config, environ=os.environ) -> dict[str, ProviderConfig]:
    """The configured providers by name, in order: app config first, else the environment."""
    entries = app_config.get("OIDC_PROVIDERS")
    if entries is None:
        entries = _from_environment(environ)
    if isinstance(entries, str):
        entries = json.loads(entries)
    providers: dict[str, ProviderConfig] = {}
    for entry in entries or []:
        provider = parse_provider(entry)
        if provider.name in providers:
            raise ProviderConfigError(f"OIDC provider {provider.name!r} is configured twice")
        providers[provider.name] = provider
    return providers
