"""The key layer: user, team, escrow and record keys, sealed fields and duress handling.

See docs/keys.md for the design; every later model with identifying data uses this app.
"""
