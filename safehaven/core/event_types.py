"""Every kind of audit event. Adding a kind is a code change reviewed like any other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Accounts and sessions
    LOGIN_SUCCEEDED = "login.succeeded", _("Login succeeded")
    LOGIN_FAILED = "login.failed", _("Login failed")
    LOGOUT = "login.logout", _("Logged out")
    LOCKOUT = "login.lockout", _("Account locked after repeated failures")
    LOCKOUT_CLEARED = "login.lockout_cleared", _("Lockout cleared by an administrator")
    MFA_FAILED_RATE_LIMITED = "mfa.rate_limited", _("Second-factor attempts rate limited")
    MFA_ENABLED = "mfa.enabled", _("Second factor added")
    MFA_REMOVED = "mfa.removed", _("Second factor removed")
    INVITE_SENT = "account.invite_sent", _("Staff member invited")
    INVITE_ACCEPTED = "account.invite_accepted", _("Invitation accepted")
    INVITE_REVOKED = "account.invite_revoked", _("Invitation revoked")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    PASSWORD_RESET_BY_ADMIN = "account.password_reset", _("Password reset by an administrator")
    USER_SUSPENDED = "account.suspended", _("User suspended")
    USER_REINSTATED = "account.reinstated", _("User reinstated")
    DURESS_PASSWORD_SET = "account.duress_set", _("Duress password set")
    DURESS_LOGIN = "account.duress_login", _("Duress password used")
    DURESS_RESTORED = "account.duress_restored", _("Account restored after duress")
    APPROVAL_REQUESTED = "account.approval_requested", _("Approval by a second administrator asked")
    APPROVAL_GIVEN = "account.approval_given", _("Approved by a second administrator")
    APPROVAL_REFUSED = "account.approval_refused", _("Refused by a second administrator")
    # Organisations and roles
    ORGANISATION_CREATED = "org.created", _("Organisation created")
    ORGANISATION_CHANGED = "org.changed", _("Organisation changed")
    TEAM_CREATED = "team.created", _("Team created")
    MEMBERSHIP_ADDED = "team.member_added", _("Role granted")
    MEMBERSHIP_REMOVED = "team.member_removed", _("Role removed")
    # Keys
    USER_KEYS_CREATED = "keys.user_created", _("User key pair created")
    TEAM_KEY_CREATED = "keys.team_created", _("Team key created")
    TEAM_KEY_ROTATED = "keys.team_rotated", _("Team key rotated")
    ESCROW_CREATED = "keys.escrow_created", _("Escrow key created")
    ESCROW_SHEET_PRINTED = "keys.escrow_sheet_printed", _("Escrow recovery sheet printed")
    ESCROW_RESTORED = "keys.escrow_restored", _("Escrow restored from recovery sheet")
    ESCROW_USED = "keys.escrow_used", _("Escrow key used by two administrators")
    RECORD_GRANTED = "keys.record_granted", _("Access to a record granted")
    RECORD_REVOKED = "keys.record_revoked", _("Access to a record revoked")
    RECORD_SHREDDED = "keys.record_shredded", _("Record crypto-shredded")
    PUBLIC_KEY_TAMPERED = "keys.public_key_tampered", _("Public key failed its check")
    # Audit itself
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    AUDIT_ANCHORED = "audit.anchored", _("Audit chain anchored")
    # Help requests
    REQUEST_RECEIVED = "intake.received", _("Help request received")
    REQUEST_VIEWED = "intake.viewed", _("Help request opened")
    REQUEST_UPDATED_BY_REQUESTER = "intake.requester_updated", _("Requester added information")
    REQUEST_MESSAGE_SENT = "intake.message_sent", _("Message sent to requester")
    REQUEST_MESSAGE_RECEIVED = "intake.message_received", _("Message received from requester")
    REQUEST_STATUS_CHANGED = "intake.status_changed", _("Request status changed")
    REQUEST_WITHDRAWN = "intake.withdrawn", _("Requester withdrew consent")
    REQUEST_SHREDDED = "intake.shredded", _("Withdrawn request erased")
    CHECK_IN_ACKNOWLEDGED = "intake.check_in_acknowledged", _("Check-in acknowledged")
    INTERNAL_NOTE_ADDED = "intake.internal_note_added", _("Internal note added to a request")
    MESSAGE_FORGED = "intake.message_forged", _("Forged message found in a request's thread")
    # Countries
    COUNTRY_FACT_CHANGED = "countries.fact_changed", _("Country risk fact changed")
    COUNTRY_FACTS_LOADED = "countries.facts_loaded", _("Shipped country facts loaded")
    CRISIS_RECORDED = "countries.crisis_recorded", _("Crisis recorded")
    CRISIS_CHANGED = "countries.crisis_changed", _("Crisis changed")
