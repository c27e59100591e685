"""Erasing withdrawn requests when their grace period ends (a task, and the
``shred_withdrawn`` command as the backstop) and expired status sessions."""
