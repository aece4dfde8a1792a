"""Use cases over the database.  Each public method is one transaction and checks
the user's permission before it changes anything."""
