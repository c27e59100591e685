"""Two-session approvals: one administrator asks, a second approves from their own session."""
