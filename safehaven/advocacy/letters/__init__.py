"""The letter of a request: the generated draft the advocacy officer edits, its printable page
(counts only), and the key holder's print with the annex of the people they named."""
