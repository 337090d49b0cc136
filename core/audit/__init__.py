"""The audit trail's machinery.

`trail` records lines (`record`, `dated`, and the middleware that records refused access) into
settings.AUDIT_ENTRY_MODEL; `display` says how they read: each app registers, from its
AppConfig.ready (`<app>/audit_keys.py`), what its actions are called (`name_actions`), how its
keys read (`explain`) and how its objects are named (`name_objects`).
"""
