"""Performance data: the timeliness report and the CIN census pre-proceedings return.

Pure functions of case histories, the timescale policy, the working calendar and dates;
nothing here touches the database or Qt (``plo_tracker.services.reports`` loads the cases).
"""
