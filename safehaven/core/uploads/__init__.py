"""Uploaded files: held in memory only, under a hard size cap, and evidence files made safe
(images re-encoded without metadata; anything else refused). Why: SECURITY.md, "Uploads"."""
