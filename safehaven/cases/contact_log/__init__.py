"""The contact and support log of a case: every contact attempt, support sessions and
referrals with the person's consent, and casework notes, all sealed under casework."""
