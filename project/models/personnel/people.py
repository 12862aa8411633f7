"""The people who use Casefile: accounts, their roles and their server-side sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project import clock
from project.database import UTCDateTime
from project.extensions import Model


class Role(enum.StrEnum):
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    LABOR_RELATIONS = "labor_relations"
    ADMIN = "admin"
    # RCSA 5-240-1a(a): who has the power to make appointments by statute; decides and signs discipline
    APPOINTING_AUTHORITY = "appointing_authority"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The person's own roster entry, if they are a DOC employee: a user never sees a case about themselves.
    employee_number: Mapped[str | None] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Time-based one-time passwords (RFC 6238). The shared secret is kept sealed (project.services.accounts.mfa);
    # it is set when enrolment starts and counts only once ``mfa_enabled_at`` is set by a right code.
    mfa_secret: Mapped[str | None] = mapped_column(String(255))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mfa_last_step: Mapped[int | None] = mapped_column()  # the last 30-second step accepted: no code twice
    # Set when an administrator chose the password or granted a case role (issue 15, F8): the next sign-in
    # leads to the password page and nowhere else until the person sets a password only they know.
    password_change_required: Mapped[bool] = mapped_column(default=False, server_default=false())

    # read when a permission is checked, which is the signed-in person's, once a request: a person shown as the
    # author or actor of a record costs no query for roles (a list of people that shows them loads them with it)
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    # The directory or identity provider the person signs in with (issue 20, item 3); None: a local account.
    # Read with the signed-in person's session and with the list of accounts; a person shown as an author or
    # actor does not need it (loading it with every such person cost the case page four statements).
    external_identity: Mapped[ExternalIdentity | None] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @property
    def identity_source(self) -> str:
        """Where the person proves who they are: "local" (the password here), "ldap" or "oidc"."""
        return self.external_identity.source if self.external_identity else "local"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.disabled_at is None

    @property
    def has_mfa(self) -> bool:
        return self.mfa_enabled_at is not None and self.mfa_secret is not None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ExternalIdentity(Model):
    """Who an account is in a directory or at an identity provider (issue 20, item 3): for "ldap" the entry's DN,
    for "oidc" the issuer and subject. Such an account has no password here and its roles follow its groups;
    ``checked_at`` is the last time the directory said it is still active and mapped."""

    __tablename__ = "external_identities"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    external_id: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="external_identity")

    __table_args__ = (
        CheckConstraint("source IN ('ldap', 'oidc')", name="known_source"),
        UniqueConstraint("source", "external_id"),
    )


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),)


class RoleGrant(Model):
    """A role given to an account by an administrator (issue 15, F8): who asked, when, and who approved it. Under
    the two-person rule (``ROLE_GRANTS_NEED_SECOND_ADMIN``) the role is held only once a second administrator
    approves; otherwise the grant is approved by its granter as it is made."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __table_args__ = (CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),)


class RecoveryCode(Model):
    """A one-time code that stands in for the authenticator app. Only a salted SHA-256 is kept (ASVS 2.6.2)."""

    __tablename__ = "mfa_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UsedTotpStep(Model):
    """A 30-second step whose app code opened (or changed) something for this account. The primary key lets
    only one transaction record a step, so one code serves one sign-in even when posted in parallel (F1)."""

    __tablename__ = "mfa_used_steps"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingEnrolment(Model):
    """An authenticator secret shown to one browser and not yet confirmed by a code. It is kept here, sealed,
    and the browser's cookie holds only a random handle to it (its SHA-256 is ``token_hash``), so no secret
    travels in the cookie (F11)."""

    __tablename__ = "mfa_pending_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_secret: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UserSession(Model):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here,
    so revoking this row ends the session even for a copied cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship()


class RefusalTally(Model):
    """How many requests of one kind one person (or, signed out, one address) had refused in one minute
    (issue 15, F6). The first refusal of the minute writes an ``access.refused`` audit event; the rest only
    count here, so a flood of refusals adds one audit row a minute, not one a request."""

    __tablename__ = "refusal_tallies"

    id: Mapped[int] = mapped_column(primary_key=True)
    who: Mapped[str] = mapped_column(String(64))  # "user:12" or "address:10.0.0.7"
    kind: Mapped[str] = mapped_column(String(32))  # case_hidden, forbidden, csrf, upload_too_large, upload_refused
    minute: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("who", "kind", "minute"),
        CheckConstraint("count > 0", name="positive_count"),
    )
