"""Money: funds and appeals, donations, grants to cases and partners with two-person approval,
disbursements, and the double-entry ledger under them (docs/finance.md)."""
