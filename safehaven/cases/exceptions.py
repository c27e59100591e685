"""The refusal every case action raises, in words staff understand."""


class CaseActionRefused(Exception):
    """The action cannot be done; the message says why in words staff understand."""
