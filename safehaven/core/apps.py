from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "safehaven.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from safehaven.core.sqlite_files import restrict_sqlite_files

        connection_created.connect(restrict_sqlite_files, dispatch_uid="restrict_sqlite_files")
