"""The staff pages about countries: the list, a country's facts and history, the figures of a
year, and an administrator's change of a fact."""
