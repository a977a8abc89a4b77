"""The inbox search (motcua/dossiers/search.py): the applicant's name folded into a stored
column computed by the database, and on PostgreSQL a trigram index over the dossiers that are
in someone's inbox.

``motcua_name_key(name)`` gives what ``search.name_key`` gives in Python (" pham thi dung" for
"Phạm Thị Dung"): đ → d, the decomposed form without its combining marks, lower case, every
run of other characters one space. SQLite gets the same function from the app on each
connection. On PostgreSQL adding the column rewrites the dossiers table once (about 1.5 minutes and a
write lock at 1,000,000 dossiers, measured on the benchmark machine); the index covers only
the dossiers in an inbox (the inbox indexes' condition), so finished ones cost it nothing;
statistics over the inboxes' columns together let the planner know a box's size.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import motcua.dossiers.search

INBOX_STATUSES = (
    "submitted",
    "received",
    "processing",
    "waiting_applicant",
    "waiting_payment",
    "result_ready",
)

# The combining-mark blocks of Unicode (diacritics of Latin letters are in the first).
_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
FUNCTION_SQL = (
    "CREATE OR REPLACE FUNCTION motcua_name_key(name text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ' ' || regexp_replace(lower("
    "regexp_replace(normalize(replace(replace(name, 'đ', 'd'), 'Đ', 'D'), NFD), "
    f"E'{_MARKS}', '', 'g')), '[^0-9a-z]+', ' ', 'g') $$"
)
INDEX_SQL = (
    "CREATE INDEX dossier_inbox_search_idx ON dossiers_dossier USING gin ("
    "applicant_name_key gin_trgm_ops, upper(code::text) gin_trgm_ops, "
    "applicant_id_number gin_trgm_ops) "
    "WHERE status IN (" + ", ".join(f"'{s}'" for s in INBOX_STATUSES) + ")"
)


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS motcua_name_key(text)")


# The "current" columns are set only while a dossier is in an inbox: without statistics over
# them together, PostgreSQL took a box of 50,004 dossiers for 1,546 and read whole boxes to
# find a few rows. One set per inbox index's columns.
STATISTICS = {
    "dossier_unit_box_stats": "status, current_role, current_unit_id",
    "dossier_desk_box_stats": "status, current_role, receiving_desk_id",
    "dossier_agency_box_stats": "status, current_role, deciding_agency_id",
}


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)
        for name, columns in STATISTICS.items():
            quoted = columns.replace("current_role", '"current_role"')  # a reserved word
            schema_editor.execute(
                f"CREATE STATISTICS {name} (dependencies, mcv) ON {quoted} FROM dossiers_dossier"
            )
        schema_editor.execute("ANALYZE dossiers_dossier")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in STATISTICS:
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")
        schema_editor.execute("DROP INDEX IF EXISTS dossier_inbox_search_idx")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_working_files_results_notices")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_function, drop_function, elidable=False),
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_key",
            field=models.GeneratedField(
                db_persist=True,
                expression=motcua.dossiers.search.NameKey(models.F("applicant_name")),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
