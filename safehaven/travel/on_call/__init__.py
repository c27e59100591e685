"""The on-call rota: who is on call when, in which order an alert reaches them."""
