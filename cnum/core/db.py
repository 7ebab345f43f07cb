"""Database helpers shared by the apps that write in bulk or repeat one statement often."""

from django.db import connection


def prepared_cursor():
    """A cursor that binds its parameters on the server (PostgreSQL), elsewhere the usual one.

    Two gains over Django's cursor, which writes the parameters into the statement's text:
    psycopg prepares a statement run five times on a connection, so PostgreSQL plans it once
    and keeps a generic plan (the rollup upkeep's facts read: 1.2 ms of planning for 0.07 ms of
    execution); and a long list travels as one array parameter instead of thousands of
    literals to parse (the legacy import's check of 5,000 ids: 46 → 10 ms)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg  # only where PostgreSQL is the database

    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    # Wrapped as Django wraps its own: logged in DEBUG and seen by execute wrappers.
    return (
        connection.make_debug_cursor(cursor)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )
