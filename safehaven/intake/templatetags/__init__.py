"""Template tags of the requester's pages."""
