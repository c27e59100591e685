"""Verification: a case's checklist, its sealed evidence files and a second person's approval
before the case is verified (docs/cases.md, "Verification")."""
