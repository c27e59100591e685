"""A case's messages on their own: the thread of each of its requests, for an interpreter given
the case (they hold the threads' keys only) and for staff who open cases."""
