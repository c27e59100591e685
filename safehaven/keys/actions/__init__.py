"""Every change to key material, a module per subject: ``users``, ``teams``, ``rewraps``,
``records``, ``escrow``, ``duress``, ``login_check``. Import from those modules; this package
re-exports nothing."""
