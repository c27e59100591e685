"""The double-entry journal: posting (``postings``), balances and figures read from it
(``balances``, ``costs``) and the proof that it is whole (``verify``). Accounts and postings:
docs/finance.md, "The ledger"."""
