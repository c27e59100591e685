"""Referral codes: made for a partner team by an administrator (or the demo), looked up when a
request arrives with one."""
