"""What each database needs beyond the tables: an FTS5 table on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Stemmed copies of the text columns; rowid is IndexEntry.id. Tokens are already stems, so "unicode61"
        # only splits on spaces; remove_diacritics 0 keeps Cyrillic as is.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, summary, body, rows, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_entry_vector_gin ON search_indexentry USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(create, drop)]
