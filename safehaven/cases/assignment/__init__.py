"""Giving a case to a caseworker or an interpreter, and taking it back: the keys follow."""
