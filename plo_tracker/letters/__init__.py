"""Plain-language letters: templates, the fields they use, safe rendering, the readability check.

Pure core: no database.  ``plo_tracker.services.letters`` uses these modules to make,
record and list letters for cases.
"""
