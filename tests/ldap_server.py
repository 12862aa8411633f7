"""A real OpenLDAP directory for the directory sign-in tests (issue 20, item 3): Debian's slapd started on free
ports (ldap:// and ldaps:// with a test CA's certificate) in a temporary folder with a generated slapd.conf,
filled with ldapadd, stopped at the end of the run.

Skipped when slapd or ldap-utils is not installed, unless REQUIRE_LDAP=1 (as in .ci/run), which turns the skip
into a failure. The directory is started once per test session (per xdist worker); tests that change a person
make one of their own with ``add_person``, so they do not disturb each other.

"Disabled" is what the ppolicy overlay calls a permanently locked account (``pwdAccountLockedTime:
000001010000Z``): its bind is refused, and the service search's active-account filter leaves it out.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

from tests.tls_files import make_server_files

SLAPD = "/usr/sbin/slapd"
BASE = "dc=casefile,dc=test"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "admin-secret-for-tests"
SERVICE_DN = f"cn=casefile,ou=services,{BASE}"
SERVICE_PASSWORD = "service-secret-for-tests"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
PASSWORD = "directory pass phrase 1"
ACTIVE_FILTER = "(!(pwdAccountLockedTime=*))"
GROUP_NAMES = ("cf-investigators", "cf-supervisors", "cf-labor", "cf-admins", "everyone")

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {folder}/slapd.pid
database mdb
suffix "{base}"
rootdn "{admin}"
rootpw {admin_password}
directory {folder}/data
maxsize 16777216
TLSCACertificateFile {folder}/test-ca.pem
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key
overlay ppolicy
ppolicy_default "cn=default,ou=services,{base}"
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


@dataclass
class Directory:
    """The running directory: its URL, and the changes a test makes to it with ldap-utils."""

    url: str
    ldaps_url: str  # ldaps://localhost:port, with a certificate signed by ``ca_file``
    ca_file: str

    def ldif(self, tool: str, text: str) -> None:
        """Run ldapadd or ldapmodify as the directory's administrator on ``text``."""
        subprocess.run(
            [f"/usr/bin/{tool}", "-x", "-H", self.url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=text,
            text=True,
            check=True,
            capture_output=True,
        )

    def add_person(self, uid: str, name: str, groups: tuple[str, ...], mail: str | None = None) -> str:
        """A person with ``PASSWORD``, in ``groups``; returns their DN."""
        first, _, last = name.partition(" ")
        self.ldif(
            "ldapadd",
            f"dn: {person_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\ngivenName: {first}\n"
            f"sn: {last or first}\nmail: {mail or uid + '@doc.test'}\nuserPassword: {PASSWORD}\n",
        )
        for group in groups:
            self.ldif(
                "ldapmodify", f"dn: {group_dn(group)}\nchangetype: modify\nadd: member\nmember: {person_dn(uid)}\n"
            )
        return person_dn(uid)

    def disable(self, uid: str) -> None:
        self.ldif(
            "ldapmodify",
            f"dn: {person_dn(uid)}\nchangetype: modify\nadd: pwdAccountLockedTime\n"
            "pwdAccountLockedTime: 000001010000Z\n",
        )

    def rename(self, uid: str, new_uid: str, groups: tuple[str, ...]) -> None:
        """Move the entry to a new DN, its memberships of ``groups`` with it (as a directory admin does)."""
        self.ldif(
            "ldapmodify",
            f"dn: {person_dn(uid)}\nchangetype: modrdn\nnewrdn: uid={new_uid}\ndeleteoldrdn: 1\n",
        )
        for group in groups:
            self.ldif(
                "ldapmodify",
                f"dn: {group_dn(group)}\nchangetype: modify\ndelete: member\nmember: {person_dn(uid)}\n-\n"
                f"add: member\nmember: {person_dn(new_uid)}\n",
            )

    def remove_from_group(self, uid: str, group: str) -> None:
        self.ldif(
            "ldapmodify", f"dn: {group_dn(group)}\nchangetype: modify\ndelete: member\nmember: {person_dn(uid)}\n"
        )


_people = count(1)


def unique_uid(stem: str) -> str:
    """A uid no other test of this run uses."""
    return f"{stem}{os.getpid()}x{next(_people)}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tree() -> str:
    entries = [
        f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: casefile\no: Casefile tests\n",
        f"dn: ou=people,{BASE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{BASE}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: ou=services,{BASE}\nobjectClass: organizationalUnit\nou: services\n",
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: casefile\n"
        f"userPassword: {SERVICE_PASSWORD}\n",
        # the password policy that makes a locked account's bind fail
        f"dn: cn=default,ou=services,{BASE}\nobjectClass: pwdPolicy\nobjectClass: device\ncn: default\n"
        "pwdAttribute: userPassword\npwdLockout: TRUE\n",
    ]
    # groupOfNames needs one member at least: the service account holds each group open.
    entries += [
        f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\nmember: {SERVICE_DN}\n" for name in GROUP_NAMES
    ]
    return "\n".join(entries)


def start_directory(folder: Path) -> tuple[subprocess.Popen[bytes], Directory]:
    (folder / "data").mkdir(parents=True)
    ca_file, _, _ = make_server_files(folder)
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, base=BASE, admin=ADMIN_DN, admin_password=ADMIN_PASSWORD))
    url, ldaps_url = f"ldap://127.0.0.1:{_free_port()}", f"ldaps://localhost:{_free_port()}"
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", f"{url}/ {ldaps_url}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    directory = Directory(url, ldaps_url, str(ca_file))
    deadline = time.monotonic() + 10
    while True:
        try:
            directory.ldif("ldapadd", _tree())
            return process, directory
        except subprocess.CalledProcessError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"slapd did not start: {process.communicate()[1].decode()[-2000:]}") from None
            time.sleep(0.05)


def require_slapd() -> None:
    """A skip (a failure under REQUIRE_LDAP=1) when Debian's slapd or ldap-utils is missing."""
    if os.path.exists(SLAPD) and shutil.which("ldapadd"):
        return
    message = "slapd or ldap-utils is not installed (apt-get install slapd ldap-utils)"
    if os.environ.get("REQUIRE_LDAP") == "1":
        pytest.fail(message + " but REQUIRE_LDAP=1", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ldap_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    """A running slapd with the test tree, groups and service account, for the whole session."""
    require_slapd()
    process, directory = start_directory(tmp_path_factory.mktemp("slapd"))
    yield directory
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
