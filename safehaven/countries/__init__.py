"""Curated reference data about places: the laws and de facto risk per country and region, and
crises. Read-only tables loaded from ``countries/data/``; administrators add dated facts."""
