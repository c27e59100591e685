"""Funds and appeals, the organisation's grant threshold and its budget lines."""
