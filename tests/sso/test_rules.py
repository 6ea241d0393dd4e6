"""Configuration parsing and the claim rules, as plain functions."""

import pytest

from modules.sso.config import ProviderConfigError, load_providers, parse_provider
from modules.sso.services import claimed_email, claimed_name, email_verified, resolve_unit

BASE = {"name": "politiet", "issuer": "https://idp.example.com", "client_id": "c",
        "client_secret": "s"}


def test_environment_form_builds_providers():
    environ = {
        "OIDC_PROVIDER_NAMES": "politiet, phs",
        "OIDC_POLITIET_ISSUER": "https://login.microsoftonline.com/t/v2.0",
        "OIDC_POLITIET_CLIENT_ID": "id", "OIDC_POLITIET_CLIENT_SECRET": "secret",
        "OIDC_POLITIET_LABEL": "Logg inn med politiets konto",
        "OIDC_POLITIET_UNIT_CLAIM": "groups",
        "OIDC_POLITIET_UNIT_MAP": '{"0f1e-group": "ost"}',
        "OIDC_POLITIET_ALLOW_EMAIL_LINK": "true",
        "OIDC_PHS_ISSUER": "https://idp.phs.example.com", "OIDC_PHS_CLIENT_ID": "phs",
        "OIDC_PHS_CLIENT_SECRET": "x",
    }
    providers = load_providers({}, environ)
    assert list(providers) == ["politiet", "phs"]
    politiet = providers["politiet"]
    assert politiet.unit_map == {"0f1e-group": "ost"}
    assert politiet.allow_email_link is True
    assert politiet.metadata_url == ("https://login.microsoftonline.com/t/v2.0"
                                     "/.well-known/openid-configuration")
    assert providers["phs"].allow_email_link is False
    assert providers["phs"].scopes == "openid email profile"


def test_json_in_the_environment_and_app_config_win_in_that_order():
    environ = {"OIDC_PROVIDERS": '[{"name": "a", "issuer": "https://a", "client_id": "c", '
                                 '"client_secret": "s"}]'}
    assert list(load_providers({}, environ)) == ["a"]
    assert list(load_providers({"OIDC_PROVIDERS": [BASE]}, environ)) == ["politiet"]
    assert load_providers({}, {}) == {}


@pytest.mark.parametrize("entry, problem", [
    ({**BASE, "client_secret": ""}, "missing"),
    ({**BASE, "name": "Politiet Øst"}, "name"),
    ({**BASE, "scopes": "email profile"}, "openid"),
    ({**BASE, "unit_claims": "groups"}, "unknown"),
])
def test_bad_provider_entries_stop_the_app(entry, problem):
    with pytest.raises(ProviderConfigError, match=problem):
        parse_provider(entry)


def test_a_provider_named_twice_is_refused():
    with pytest.raises(ProviderConfigError, match="twice"):
        load_providers({"OIDC_PROVIDERS": [BASE, BASE]}, {})


def test_unit_from_group_map_in_map_order(app):
    provider = parse_provider({**BASE, "unit_claim": "groups",
                               "unit_map": {"g-oslo": "oslo", "g-ost": "ost"}})
    assert resolve_unit(provider, {"groups": ["g-ost", "g-oslo"]}).code == "oslo"
    assert resolve_unit(provider, {"groups": ["g-ost"]}).code == "ost"
    assert resolve_unit(provider, {"groups": ["other"]}) is None
    assert resolve_unit(provider, {}) is None


def test_unit_from_a_claim_holding_the_code_and_the_default(app):
    provider = parse_provider({**BASE, "unit_claim": "unit", "default_unit": "pod"})
    assert resolve_unit(provider, {"unit": "nordland"}).code == "nordland"
    assert resolve_unit(provider, {"unit": "ukjent"}).code == "pod"
    assert resolve_unit(parse_provider(BASE), {"unit": "ost"}) is None


def test_name_email_and_verification_claims():
    assert claimed_name({"given_name": "Kari", "family_name": "Nordmann"}) == "Kari Nordmann"
    assert claimed_name({"name": " Kari N ", "given_name": "x"}) == "Kari N"
    assert claimed_email({"preferred_username": "Kari@Politiet.no"}) == "kari@politiet.no"
    assert claimed_email({"preferred_username": "kari"}) is None
    assert email_verified({"email": "a@b.no", "email_verified": True})
    assert email_verified({"email": "a@b.no", "email_verified": "true"})
    assert not email_verified({"email": "a@b.no"})
    assert not email_verified({"preferred_username": "a@b.no", "email_verified": True})
