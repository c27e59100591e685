"""Benchmarks: scripts that print figures (README, "Benchmarks"); never run as tests."""
