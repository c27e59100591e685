"""Donations to a fund, the donor's name sealed under the organisation's finance records."""
