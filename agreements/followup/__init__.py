"""Follow-up of registered agreements: work plans (activities, indicators), six-monthly reports, their derived
status, reminders, and the public annual report of each government."""
