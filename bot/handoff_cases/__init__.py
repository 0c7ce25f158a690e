"""Human handoff cases (issue 6): the case store, office hours, the summary and cached translation,
shared by the Telegram bot and the counsellor web console."""
