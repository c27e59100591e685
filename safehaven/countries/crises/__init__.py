"""Crises: a name, the places and dates of an emergency, recorded and changed by administrators."""
