"""Encrypted backups: a database snapshot and the files kept outside the database, packed into
one archive encrypted to the organisation's backup public key (operators: docs/backups.md).

``archive``: the encrypted format. ``private_dir``: where plaintext may live while a backup is
made or opened. ``database``: taking and putting back a snapshot, SQLite or PostgreSQL, whose
client programs ``pg_tools`` finds. ``bundle``: the tar inside the archive. ``public_key``: the
key archives are encrypted to. Nothing here imports an app: the commands that use it
(``keys/management/commands/backup.py`` and ``restore.py``) name the key layer's files.
"""
