# Models for this app arrive with its own issue; the app exists so the plan's flow
# (units ← campaigns ← tasks ← scoring ← awards) is visible from the first commit.
