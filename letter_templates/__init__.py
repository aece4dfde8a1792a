"""The .docx letter templates shipped with PLO Tracker (found with importlib.resources).

``build_templates.py`` builds them; ``fields.md`` lists each template's fields.
"""
