"""Grants to a case or a partner organisation: request, the (second) finance officer's
approval or refusal, cancellation."""
