"""Erasing a closed case for good (crypto-shredding), for retention (reports)."""
