"""Payments under an approved grant, payee details sealed for finance only, and their
confirmation at reconciliation."""
