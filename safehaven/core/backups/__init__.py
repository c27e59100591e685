"""Encrypted backups: a database snapshot and the files kept outside the database, packed into
one archive encrypted to the organisation's backup public key (docs: /work/helpers/docs-backup.md
until it moves to docs/deploy.md).

``archive``: the encrypted format. ``private_dir``: where plaintext may live while a backup is
made or opened. ``database``: taking and putting back a snapshot, SQLite or PostgreSQL.
``bundle``: the tar inside the archive. Nothing here imports an app: the commands that use it
(``keys/management/commands/backup.py`` and ``restore.py``) name the key layer's files.
"""
