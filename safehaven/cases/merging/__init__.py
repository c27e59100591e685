"""Merging two cases found to be one person: the absorbed case's people, casework and
compartments' rows re-sealed into the kept case, higher apps' rows moved by their own
listeners (finance re-posts grants in the ledger); each person keeps their own thread."""
