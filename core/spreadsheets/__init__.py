"""Excel files the portal writes and reads: one look for every download (`styles`), text that
never becomes a formula (`safe_text`), and the check-then-confirm flow every import shares
(`import_preview`)."""
