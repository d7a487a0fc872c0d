import psycopg


def test_database_has_search_extensions(database_url):
    with psycopg.connect(database_url) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        row = connection.execute("SELECT unaccent('automatización'), similarity('maquin', 'machine')").fetchone()
    assert row[0] == "automatizacion"
    assert row[1] > 0
