"""The directory sign-in settings (README "Directory sign-in"): read from the environment, and refused at start
when they could not sign anyone in or could not re-check who is signed in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from project.config import ConfigurationError, build_config

LDAP = {
    "LDAP_URL": "ldaps://dc.example.gov",
    "LDAP_SERVICE_BIND_DN": "cn=casefile,ou=services,dc=example,dc=gov",
    "LDAP_SERVICE_PASSWORD": "service secret",
    "LDAP_USER_SEARCH_BASE": "ou=people,dc=example,dc=gov",
    "LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=example,dc=gov",
    "LDAP_GROUP_ROLES": json.dumps({"cn=IA,ou=groups,dc=example,dc=gov": ["investigator", "supervisor"]}),
}


def test_directory_sign_in_is_off_and_casefile_s_second_factor_applies_by_default(tmp_path: Path):
    config = build_config(str(tmp_path), {})
    assert config["LDAP_URL"] is None and config["OIDC_ISSUER"] is None
    assert config["DIRECTORY_MFA"] == "casefile"
    assert config["DIRECTORY_RECHECK_SECONDS"] == 60


def test_the_group_map_comes_from_the_environment_or_a_file(tmp_path: Path):
    config = build_config(str(tmp_path), LDAP | {"DIRECTORY_RECHECK_SECONDS": "30"})
    assert config["LDAP_GROUP_ROLES"] == {"cn=IA,ou=groups,dc=example,dc=gov": ["investigator", "supervisor"]}
    assert config["DIRECTORY_RECHECK_SECONDS"] == 30
    roles_file = tmp_path / "roles.json"
    roles_file.write_text('{"cn=LR,ou=groups,dc=example,dc=gov": ["labor_relations"]}')
    environ = {key: value for key, value in LDAP.items() if key != "LDAP_GROUP_ROLES"}
    config = build_config(str(tmp_path), environ | {"LDAP_GROUP_ROLES_FILE": str(roles_file)})
    assert config["LDAP_GROUP_ROLES"] == {"cn=LR,ou=groups,dc=example,dc=gov": ["labor_relations"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"LDAP_SERVICE_BIND_DN": ""}, "LDAP_SERVICE_BIND_DN must be set too"),
        ({"LDAP_GROUP_ROLES": '{"cn=IA": ["sheriff"]}'}, "unknown roles ['sheriff']"),
        ({"LDAP_GROUP_ROLES": "cn=IA=investigator"}, "LDAP_GROUP_ROLES is not JSON"),
        ({"LDAP_GROUP_ROLES": '{"cn=IA": "investigator"}'}, "must map each group to a list of roles"),
        ({"DIRECTORY_MFA": "sometimes"}, "DIRECTORY_MFA must be 'casefile' or 'provider'"),
        ({"OIDC_ISSUER": "https://login.example.gov"}, "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_CLAIM_ROLES"),
    ],
)
def test_settings_that_cannot_work_stop_the_start_with_the_reason(tmp_path: Path, change, message):
    with pytest.raises(ConfigurationError) as refused:
        build_config(str(tmp_path), LDAP | change)
    assert message in str(refused.value)
