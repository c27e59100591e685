"""Exports for the accountant."""
