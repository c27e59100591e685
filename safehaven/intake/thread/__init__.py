"""A request's thread of messages, read by both sides: checking each message's seal and
place in the thread (``message_checks``) and turning an opened request into what a page
shows (``display``)."""
