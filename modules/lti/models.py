"""LTI 1.3 tool state: registered platforms, the tool's keys, one-time launch
state and nonces, account links, LMS contexts, resource links, line items and
the grade send queue. Everything that must be shared by all workers lives here
(never in process memory)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db


class LtiPlatform(db.Model):
    """A learning platform (Canvas, Moodle, ...) registered by an admin."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[list] = mapped_column(db.JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(String(500))
    token_url: Mapped[str] = mapped_column(String(500))
    jwks_url: Mapped[str] = mapped_column(String(500))
    # Origins allowed to frame the tool (frame-ancestors); empty: derived from the URLs.
    frame_origins: Mapped[list] = mapped_column(db.JSON, default=list)
    link_by_email: Mapped[bool] = mapped_column(default=False)
    default_unit_code: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiPlatform {self.issuer} {self.client_id}>"


class LtiKey(db.Model):
    """One of the tool's RSA keys. The private half is a 0600 file under
    LTI_KEY_DIR named after the kid; the public JWK is here so every worker
    serves the same key set."""

    __tablename__ = "lti_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a newer key took over; still published for the overlap period.
    retired_at: Mapped[datetime | None] = mapped_column(index=True)


class LtiLaunchState(db.Model):
    """OIDC login initiation: the state and nonce we sent, with the login
    parameters so a launch can be retried in a new window."""

    __tablename__ = "lti_launch_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(128), unique=True)
    nonce: Mapped[str] = mapped_column(String(128))
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    login_params: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class LtiNonce(db.Model):
    """A nonce seen in an id_token; the unique key makes each usable once."""

    __tablename__ = "lti_nonces"
    __table_args__ = (UniqueConstraint("platform_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LtiUserLink(db.Model):
    """The platform's user (iss + sub) behind one of our accounts."""

    __tablename__ = "lti_user_links"
    __table_args__ = (UniqueConstraint("platform_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_launch_at: Mapped[datetime | None]


class LtiContext(db.Model):
    """An LMS course (context) the tool was launched from."""

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    deployment_id: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    label: Mapped[str] = mapped_column(String(200), default="")
    memberships_url: Mapped[str | None] = mapped_column(String(1000))
    # NRPS "differences" links from the last sync, per resource link id ("" for the
    # whole context): the next sync asks only for what changed since.
    nrps_differences: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # The course most recently launched in this context (roster sync enrols into it).
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))

    platform: Mapped[LtiPlatform] = relationship(lazy="joined")


class LtiContextMember(db.Model):
    """A user's role in an LMS context: "participant" (Learner) or "trainer"
    (Instructor). Course runs tied to the context read the trainers here."""

    __tablename__ = "lti_context_members"
    __table_args__ = (UniqueConstraint("context_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LtiResourceLink(db.Model):
    """A placement of a course or learning module on an LMS course page."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (UniqueConstraint("platform_id", "resource_link_id"),
                      Index("ix_lti_resource_links_target", "course_id", "learning_module_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[int | None] = mapped_column(
        ForeignKey("lti_contexts.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    # Set when the link names one module; None for a whole course.
    learning_module_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_modules.id", ondelete="SET NULL"))


class LtiLineItem(db.Model):
    """A gradebook column (AGS line item) tied to a resource link."""

    __tablename__ = "lti_line_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    resource_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("lti_resource_links.id", ondelete="CASCADE"), index=True)
    score_maximum: Mapped[float] = mapped_column(default=100.0)
    can_send_scores: Mapped[bool] = mapped_column(default=True)
    # Set on line items the tool created in the platform's container (AGS
    # ``lineitems``): found again by resource link id and tag.
    tag: Mapped[str] = mapped_column(String(255), default="")
    label: Mapped[str] = mapped_column(String(300), default="")


class LtiLinkLaunch(db.Model):
    """That a user launched from a resource link: the user's scores for what
    the link names go to its line item."""

    __tablename__ = "lti_link_launches"
    __table_args__ = (UniqueConstraint("user_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resource_link_id: Mapped[int] = mapped_column(
        ForeignKey("lti_resource_links.id", ondelete="CASCADE"), index=True)
    sub: Mapped[str] = mapped_column(String(255))
    last_launch_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiRegistrationLink(db.Model):
    """A one-time LTI Dynamic Registration link an admin handed to an LMS admin.
    Only a hash of the token is kept; the link works once, before it expires."""

    __tablename__ = "lti_registration_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    default_unit_code: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="SET NULL"))


class GradeSend(db.Model):
    """A score waiting for (or delivered to) a line item. Never deleted; the
    unique key makes each (user, line item, event) enqueue exactly once."""

    __tablename__ = "lti_grade_sends"
    __table_args__ = (Index("ix_lti_grade_sends_due", "delivered_at", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    line_item_id: Mapped[int] = mapped_column(
        ForeignKey("lti_line_items.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict] = mapped_column(db.JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    line_item: Mapped[LtiLineItem] = relationship(lazy="raise")
