"""Which birthdays, anniversaries, dated events, keep-in-touch cadences and follow-ups are due.

Pure computation over plain data with the day given by the caller (from the injected clock);
no database and no Qt. `app.core.services.reminders` reads the store and calls these.
"""
