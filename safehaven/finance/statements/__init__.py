"""A fund's statement from its journal, printable for the accountant."""
