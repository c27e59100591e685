"""Corrections: a journal entry is never edited; it is reversed by an entry of its own."""
