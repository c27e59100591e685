"""What staff do to a request and its thread: open it, answer it, change its state, acknowledge
a check-in, share it, report forged messages. The pages that call these live in
``cases.triage``."""
