"""Cases counted in a request: included by a holder of the case's key, or a crisis's cases
counted at once by the advocacy officer; taken out again; the case page's advocacy panel."""
