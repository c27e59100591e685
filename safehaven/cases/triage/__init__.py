"""Triage: the queue of help requests, a request's staff page and the posts made on it."""
