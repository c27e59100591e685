"""Ticket files of a booking (e-tickets, boarding passes), sealed in the travel compartment."""
