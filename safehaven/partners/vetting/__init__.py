"""A partner organisation's vetting status, and suspending it in one move."""
