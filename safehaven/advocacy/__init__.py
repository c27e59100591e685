"""Advocacy: emergency-visa and protection requests to governments, per case or as a batch
for a crisis, with the letter the advocacy officer prints. The officer sees counts, never
identities; a case's caseworker names a person, with their consent (docs/advocacy.md)."""
