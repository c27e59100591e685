"""The authorisation walk's expectations for the partner portal pages (merged into the walk's).

Partner members only (staff roles 403, and the triage member's duress session with them); the
walk's request is partner A's referral, so partner B gets 404 on every one of its URLs. An
empty post shows the form again. The staff side of a referral's messages: triage and
supervisors (a caseworker it is not shared with 404), partners 403: they use their portal.
No page here shows the request's sealed story, contacts or thread: nobody sees the sentinels.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Expect,
    members_only,
)

PARTNERS_OK = members_only(FORBIDDEN, partner_a=OK, partner_b=OK)
PARTNER_A_ONLY = members_only(FORBIDDEN, partner_a=OK, partner_b=NOT_FOUND)
STAFF_READERS = members_only(
    FORBIDDEN, triage=OK, supervisor=OK, caseworker=NOT_FOUND, triage_under_duress=NOT_FOUND
)

EXPECTATIONS: dict[str, Expect] = {
    "partners-list-referrals": Expect(outcomes=PARTNERS_OK),
    "partners-refer-person": Expect(outcomes=PARTNERS_OK, more_methods={"POST": PARTNERS_OK}),
    "partners-import-referrals": Expect(outcomes=PARTNERS_OK, more_methods={"POST": PARTNERS_OK}),
    "partners-show-referral": Expect(outcomes=PARTNER_A_ONLY, kwargs="partner_a_referral"),
    "partners-send-referral-message": Expect("POST", PARTNER_A_ONLY, kwargs="partner_a_referral"),
    "partners-add-referral-evidence": Expect("POST", PARTNER_A_ONLY, kwargs="partner_a_referral"),
    "partners-show-referral-messages": Expect(
        outcomes=STAFF_READERS, kwargs="partner_a_referral", more_methods={"POST": STAFF_READERS}
    ),
}
