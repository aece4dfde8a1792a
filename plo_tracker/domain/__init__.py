"""Pure domain code: no database, no Qt."""
