"""The main window's screens and their parts."""
