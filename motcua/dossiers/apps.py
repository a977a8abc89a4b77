from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from motcua.dossiers.search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="motcua_name_key")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # opened before the app was ready
                register_sqlite_function(connection=connection)
