"""The PLO Tracker desktop client (Qt).  Everything it shows or changes goes through
the services in ``plo_tracker``."""
