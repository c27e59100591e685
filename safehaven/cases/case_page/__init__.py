"""The case page: one case, what the viewer's key opens of it, its moves, tasks and panels."""
